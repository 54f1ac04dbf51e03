import type { Lookup, Prefetch } from '../lookup/cache.js';
import { resolveService } from '../lookup/service.js';
import { CATALOGUE, FACTS_IN_DNSSEC, PASS_FACTS_IN_RECORDS, type RuleId, type Source, type Status } from '../rules/catalogue.js';
import { evaluateProfile } from '../rules/engine.js';
import type { DomainExpectations, DomainObservation, DomainSpec, FindingFacts as RuleFacts } from '../rules/types.js';
import type { AuthoritativeObservation } from '../lookup/authoritative.js';
import { dnssecReport, type DnssecReport } from '../lookup/dnssec.js';
import { completeForExpectation } from './expectations.js';
import type { ProfileChoice } from '../rules/profiles/rules.js';
import type { CloudName, ConcreteProfileName, ProfileName } from '../rules/profiles/profiles.js';
import { startProfileLookups } from './profile-observe.js';
import { domainRecords, type DomainRecords } from './records.js';
import { withProbeRecords } from './probe-records.js';
import { domainStatus, type DomainStatus } from './verdict.js';

/** A domain to check (defined with the rules' types, where its expectations are). */
export type { DomainSpec } from '../rules/types.js';

/** What every reported finding says: the rule's facts. */
interface FindingFacts {
  readonly rule: RuleId;
  readonly message: string;
  readonly name: string;
  /** Why the answer could not be told (`unknown` only). */
  readonly reason?: string;
  /** Which of the rule's messages this is; with the facts, all the message says. */
  readonly code: string;
  /** The rule's facts as data (names, ports, targets, counts, why a lookup failed; the probe's addresses, names, days…); absent from a core rule's pass. */
  readonly facts?: RuleFacts;
}

/** A finding that holds (`pass`, `info`): nothing breaks, so no `breaks` or `source` (the catalogue has them). */
export interface HoldingFinding extends FindingFacts {
  readonly status: 'pass' | 'info';
}

/** A finding that does not hold, or could not be told: what breaks and where the requirement comes from. */
export interface ProblemFinding extends FindingFacts {
  readonly status: 'warn' | 'fail' | 'unknown';
  readonly breaks: string;
  readonly source: Source;
}

/**
 * A finding as reported. `breaks` and `source` come with the findings that
 * need them (`warn`, `fail`, `unknown`); a passing finding leaves them out —
 * they were most of a large report's bytes (`fedcheck explain RULE` has them).
 * A core rule's `pass` also leaves out its facts: what it found is the
 * domain's `records`, and repeating it per finding doubled a conformant
 * domain's JSON (src/rules/types.ts, `passFactsInRecords`). So does
 * dnssec-srv, whatever its status: its facts are the domain's `dnssec`
 * section (`factsInDnssec`).
 */
export type ReportedFinding = HoldingFinding | ProblemFinding;

/** Whether a finding carries `breaks` and `source`. */
export const isProblem = (finding: ReportedFinding): finding is ProblemFinding =>
  finding.status === 'warn' || finding.status === 'fail' || finding.status === 'unknown';

/** The profile a domain was checked as. */
export interface ProfileReport {
  readonly requested: ProfileName;
  readonly applied: ConcreteProfileName;
  /** For `online`: the cloud whose values were expected. */
  readonly cloud?: CloudName;
  /** For `auto`: why it chose `applied`. */
  readonly reason?: string;
}

/** Everything reported for one domain. */
export interface DomainResult {
  readonly domain: string;
  readonly input: string;
  readonly status: DomainStatus;
  readonly expectations: DomainExpectations;
  /** When a profile was asked for: which one applied (for `auto`, the one it chose and why). */
  readonly profile?: ProfileReport;
  readonly findings: readonly ReportedFinding[];
  readonly records: DomainRecords;
  /** With --authoritative: every zone's servers, SOA probes and what each server said (absent otherwise). */
  readonly authoritative?: AuthoritativeObservation;
  /** Through a resolver: the DNSSEC state of the SRV and target address answers, and which resolver vouched (absent otherwise). */
  readonly dnssec?: DnssecReport;
}

/** Look up everything the rules need for one domain. */
export async function observeDomain(lookup: Lookup, domain: string, expectations: DomainExpectations): Promise<DomainObservation> {
  // The profile's own lookups (none for federation) run alongside the core's.
  const profile = startProfileLookups(lookup, domain, expectations);
  const [sipfed, xmpp] = await Promise.all([
    resolveService(lookup, `_sipfederationtls._tcp.${domain}`).then((s) => completeForExpectation(lookup, s, expectations.expect)),
    expectations.xmpp === 'off'
      ? Promise.resolve(undefined)
      : resolveService(lookup, `_xmpp-server._tcp.${domain}`).then((s) => completeForExpectation(lookup, s, expectations.expect?.xmpp)),
  ]);
  return { domain, sipfed, xmpp, ...(await profile.finish(xmpp)) };
}

/** Observe one domain, apply every rule, and reduce to a verdict. */
export async function checkDomain(lookup: Lookup, spec: DomainSpec): Promise<DomainResult> {
  const observation = await observeDomain(lookup, spec.domain, spec.expectations);
  return judge(spec, observation);
}

function profileReport(choice: ProfileChoice): ProfileReport {
  return {
    requested: choice.requested,
    applied: choice.profile,
    ...(choice.profile === 'online' ? { cloud: choice.cloud } : {}),
    ...(choice.reason !== undefined ? { reason: choice.reason } : {}),
  };
}

/** Each rule's `breaks` text cut at "D", the catalogue's word for the SIP domain. */
const breaksParts = new Map<RuleId, readonly string[]>();

/** What breaks when `rule` is violated, naming the domain. */
function breaksOf(rule: RuleId, domain: string): string {
  let parts = breaksParts.get(rule);
  if (parts === undefined) {
    parts = CATALOGUE[rule].breaks.split(/\bD\b/);
    breaksParts.set(rule, parts);
  }
  return parts.length === 1 ? parts[0]! : parts.join(domain);
}

/** Pure: the result for a domain from its observation. */
export function judge(spec: DomainSpec, observation: DomainObservation): DomainResult {
  const { findings: evaluated, choice } = evaluateProfile(observation, spec.expectations);
  const dnssecSection = observation.dnssec !== undefined;
  const findings = evaluated.map((f): ReportedFinding => {
    // Rules build messages from template pieces (a tree of string parts, about 230 bytes for 100
    // characters). Reading a character makes V8 flatten it in place (about 130 bytes) while it is
    // young, instead of keeping the tree for the whole run when the results are kept (table, nagios…).
    f.message.charCodeAt(0);
    // Built field by field in the order the rules write them: copying `f` with a spread
    // is slow here (a finding has a different shape per rule) and runs ten times a domain.
    const { rule, status, name, message, reason, code, facts } = f;
    // A core pass's facts repeat the domain's records, dnssec-srv's its dnssec section (see ReportedFinding).
    const factsElsewhere = (status === 'pass' && PASS_FACTS_IN_RECORDS.has(rule)) || (dnssecSection && FACTS_IN_DNSSEC.has(rule));
    if (status === 'pass' || status === 'info') {
      if (factsElsewhere) return reason === undefined ? { rule, status, name, message, code } : { rule, status, name, message, reason, code };
      return reason === undefined ? { rule, status, name, message, code, facts } : { rule, status, name, message, reason, code, facts };
    }
    const breaks = breaksOf(rule, spec.domain);
    const source = CATALOGUE[rule].source;
    if (factsElsewhere) return reason === undefined ? { rule, status, name, message, code, breaks, source } : { rule, status, name, message, reason, code, breaks, source };
    return reason === undefined ? { rule, status, name, message, code, facts, breaks, source } : { rule, status, name, message, reason, code, facts, breaks, source };
  });
  return {
    domain: spec.domain,
    input: spec.input,
    status: domainStatus(findings.map((f) => f.status)),
    expectations: spec.expectations,
    ...(spec.expectations.profile !== undefined ? { profile: profileReport(choice) } : {}),
    findings,
    records: withProbeRecords(domainRecords(observation), observation.probe),
    ...(observation.authoritative !== undefined ? { authoritative: observation.authoritative } : {}),
    ...(observation.dnssec !== undefined ? { dnssec: dnssecReport(observation.dnssec) } : {}),
  };
}

/**
 * Ask, together with a domain's SRV questions, the A records of the targets
 * those SRV records name by convention: `sip.D` for `_sipfederationtls._tcp.D`
 * (Microsoft's edge DNS tables; strict name matching puts the target in the
 * domain) and `xmpp.D` for `_xmpp-server._tcp.D`. When the SRV answer names
 * them, their addresses are already there or on the way (the run's cache
 * shares the lookup), so a domain costs one round trip to the resolver
 * instead of two; when it names another target, the cost is one unused
 * query. The outcome is the same either way: the same question to the same
 * resolver, a moment earlier. Not under --rate, where every query counts.
 */
export function prefetchTargets(prefetch: Prefetch, spec: DomainSpec): void {
  prefetch(`sip.${spec.domain}`, 'A');
  if (spec.expectations.xmpp !== 'off') prefetch(`xmpp.${spec.domain}`, 'A');
}

/**
 * Check many domains with at most `concurrency` in flight. `onResult` is
 * called as each domain finishes (for streaming output); the returned array
 * keeps the input order unless `keep` is false (then it is empty, so huge runs
 * hold no results).
 */
export async function checkDomains(
  lookup: Lookup,
  specs: readonly DomainSpec[],
  options: {
    readonly concurrency: number;
    readonly onResult?: (result: DomainResult, index: number) => void;
    readonly keep?: boolean;
    /** Observe a domain another way (authoritative mode); default: {@link observeDomain} through `lookup`. */
    readonly observe?: (spec: DomainSpec) => Promise<DomainObservation>;
    /** A further observation step once the DNS is known (`--probe`): returns the observation with its additions. */
    readonly extend?: (spec: DomainSpec, observation: DomainObservation) => Promise<DomainObservation>;
    /** Ask the conventional SRV targets' A records with the SRV questions ({@link prefetchTargets}), through this. */
    readonly prefetch?: Prefetch;
  },
): Promise<DomainResult[]> {
  const keep = options.keep !== false;
  const results: DomainResult[] = keep ? new Array<DomainResult>(specs.length) : [];
  // `concurrency` workers take the next domain as each finishes: no task queued per
  // domain up front (100,000 closures and promises), no async-context bookkeeping.
  let next = 0;
  const extend = options.extend;
  const observe = options.observe ?? ((s: DomainSpec) => observeDomain(lookup, s.domain, s.expectations));
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const index = next;
      next += 1;
      const spec = specs[index]!;
      if (options.prefetch !== undefined && options.observe === undefined) prefetchTargets(options.prefetch, spec);
      const result =
        extend !== undefined
          ? judge(spec, await extend(spec, await observe(spec)))
          : options.observe !== undefined
            ? judge(spec, await options.observe(spec))
            : await checkDomain(lookup, spec);
      if (keep) results[index] = result;
      options.onResult?.(result, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency), specs.length) }, worker));
  return results;
}
