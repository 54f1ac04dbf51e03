/**
 * The operations rules: the authoritative-mode checks (auth-lame,
 * auth-serial, auth-consistency) over what every name server of a zone said,
 * and the operator's expectations (sipfed-target-expected,
 * xmpp-target-expected) over the records found. Pure functions of the
 * observation, like every other rule.
 */
import { nameKey } from '../../dns/codec.js';
import { addressFamily, canonicalAddress, compareAddresses } from '../../dns/ip-text.js';
import { answerKey, serverLabel, type AuthoritativeObservation, type AuthServer, type Comparison, type ServerAnswer, type ServerProbe, type ZoneObservation } from '../../lookup/authoritative.js';
import { addressRecords, isRootTarget, srvRecords, type ServiceResolution } from '../../lookup/service.js';
import { isUnknown, type LookupOutcome } from '../../lookup/types.js';
import type { OperationsRuleId } from './catalogue.js';
import { defineRule, type Finding, type Rule, type ServiceExpectation } from '../types.js';
import {
  notComparedText,
  say,
  serverListText,
  type AnswerGroupFact,
  type ExpectationFacts,
  type NotComparedFact,
  type ProbeFact,
  type ServersFact,
  type UnansweredFact,
} from './messages.js';

/** Servers as the findings carry them: NS names and addresses side by side. */
function serversFact(servers: readonly AuthServer[]): ServersFact {
  return { nameservers: servers.map((s) => s.names.join('/')), addresses: servers.map((s) => s.address) };
}

/** Servers as a list, addresses of the same NS name(s) together (see {@link serverListText}). */
export function serverList(servers: readonly AuthServer[]): string {
  return serverListText(serversFact(servers));
}

const probeFact = (p: ServerProbe): ProbeFact =>
  p.soa.kind === 'authoritative' ? { address: p.server.address, soa: 'authoritative', serial: p.soa.serial, detail: null } : { address: p.server.address, soa: p.soa.kind, serial: null, detail: p.soa.detail };

// ---------------------------------------------------------------------------
// auth-lame

/**
 * One finding per NS host of every zone involved: pass when each of its
 * addresses answers the zone's SOA authoritatively; fail when any address
 * answered but not authoritatively (REFUSED, SERVFAIL, AA clear, another
 * zone's SOA), or when the resolver says the host has no address at all;
 * unknown when an address did not answer at all. A silence is not evidence:
 * from one vantage point it cannot be told from a filtered path, rate
 * limiting or this machine's own lack of IPv6, and a failure to look up is
 * never a missing record.
 */
function lameFindings(auth: AuthoritativeObservation): Finding<'auth-lame'>[] {
  const findings = auth.zoneErrors.map((e) => say('auth-lame', 'unknown', e.name, 'zone-unknown', { name: e.name, detail: e.detail }, e.detail));
  for (const zone of auth.zones) {
    if (zone.error !== undefined) {
      findings.push(say('auth-lame', 'unknown', zone.zone, 'nameservers-unknown', { zone: zone.zone, detail: zone.error }, zone.error));
      continue;
    }
    for (const host of zone.nameservers) findings.push(hostFinding(zone, host.name));
  }
  return findings;
}

function hostFinding(zone: ZoneObservation, name: string): Finding<'auth-lame'> {
  const host = zone.nameservers.find((h) => h.name === name)!;
  const probes = zone.servers.filter((p) => p.server.names.includes(name));
  const where = { name, zone: zone.zone };
  if (probes.length === 0) {
    const problem = host.problem ?? { kind: 'error' as const, detail: 'no address found' };
    return problem.kind === 'absent'
      ? say('auth-lame', 'fail', name, 'nameserver-no-address', { ...where, detail: problem.detail })
      : say('auth-lame', 'unknown', name, 'nameserver-address-unknown', { ...where, detail: problem.detail }, problem.detail);
  }
  const servers = probes.map(probeFact);
  // An address this host cannot send to (no IPv6 route, say) is no evidence either way.
  if (servers.every((p) => p.soa === 'unreachable')) {
    return say('auth-lame', 'unknown', name, 'nameserver-unreachable', { ...where, servers }, servers.map((p) => `${p.address} ${p.detail ?? ''}`).join('; '));
  }
  if (servers.some((p) => p.soa === 'lame')) return say('auth-lame', 'fail', name, 'nameserver-lame', { ...where, servers });
  if (servers.some((p) => p.soa === 'silent')) {
    const silent = servers.filter((p) => p.soa === 'silent').map((p) => `${p.address} ${p.detail ?? ''}`);
    return say('auth-lame', 'unknown', name, 'nameserver-silent', { ...where, servers }, silent.join('; '));
  }
  return say('auth-lame', 'pass', name, 'nameserver-authoritative', { ...where, servers, addressProblem: host.problem?.detail ?? null });
}

// ---------------------------------------------------------------------------
// auth-serial

/** One finding per zone: the SOA serials of the servers that answered authoritatively. */
function serialFindings(auth: AuthoritativeObservation): Finding<'auth-serial'>[] {
  return auth.zones.filter((z) => z.error === undefined).map((zone): Finding<'auth-serial'> => {
    const bySerial = new Map<number, AuthServer[]>();
    for (const probe of zone.servers) {
      if (probe.soa.kind !== 'authoritative') continue;
      bySerial.set(probe.soa.serial, [...(bySerial.get(probe.soa.serial) ?? []), probe.server]);
    }
    if (bySerial.size === 0) return say('auth-serial', 'unknown', zone.zone, 'serials-unknown', { zone: zone.zone }, `no name server of ${zone.zone} answered authoritatively`);
    const answered = [...bySerial.values()].reduce((n, servers) => n + servers.length, 0);
    if (bySerial.size === 1) {
      const [serial] = bySerial.keys();
      return say('auth-serial', 'pass', zone.zone, 'serials-same', { zone: zone.zone, serial: serial!, addresses: answered });
    }
    const serials = [...bySerial.entries()].map(([serial, servers]) => ({ serial, ...serversFact(servers) }));
    return say('auth-serial', 'warn', zone.zone, 'serials-differ', { zone: zone.zone, serials });
  });
}

// ---------------------------------------------------------------------------
// auth-consistency

/** One finding per SRV owner and per target: do the servers of its zone agree? */
function consistencyFindings(auth: AuthoritativeObservation): Finding<'auth-consistency'>[] {
  return auth.comparisons.map(consistencyFinding);
}

function consistencyFinding(c: Comparison): Finding<'auth-consistency'> {
  const groups = new Map<string, { answer: Exclude<ServerAnswer, { kind: 'error' }>; servers: AuthServer[] }>();
  const unanswered: UnansweredFact[] = [];
  for (const { server, answer } of c.answers) {
    const key = answerKey(answer);
    if (key === undefined || answer.kind === 'error') {
      unanswered.push({ server: serverLabel(server), detail: answer.kind === 'error' ? answer.detail : '' });
      continue;
    }
    const group = groups.get(key) ?? { answer, servers: [] };
    group.servers.push(server);
    groups.set(key, group);
  }
  const groupFact = (g: { answer: Exclude<ServerAnswer, { kind: 'error' }>; servers: AuthServer[] }): AnswerGroupFact => ({
    answer: g.answer.kind,
    values: g.answer.kind === 'data' ? g.answer.values : [],
    ...serversFact(g.servers),
  });
  const compared = { name: c.name, zone: c.zone, what: c.what };
  if (groups.size > 1) return say('auth-consistency', 'warn', c.name, 'answers-differ', { ...compared, groups: [...groups.values()].map(groupFact), unanswered });
  const [only] = groups.values();
  if (only === undefined) {
    const why = c.answers.length === 0 ? `no name server of ${c.zone} answered authoritatively` : unanswered.map((u) => `${u.server}: ${u.detail}`).join('; ');
    return say('auth-consistency', 'unknown', c.name, 'answers-unknown', { ...compared, unanswered }, why);
  }
  if (unanswered.length > 0) {
    return say('auth-consistency', 'unknown', c.name, 'answers-partly-same', { ...compared, group: groupFact(only), unanswered }, unanswered.map((u) => `${u.server}: ${u.detail}`).join('; '));
  }
  return say('auth-consistency', 'pass', c.name, 'answers-same', { ...compared, group: groupFact(only) });
}

/** auth-lame, auth-serial, auth-consistency; nothing unless the domain was checked with --authoritative. */
const authoritativeRules = defineRule(['auth-lame', 'auth-serial', 'auth-consistency'], (obs) => {
  const auth = obs.authoritative;
  if (auth === undefined) return [];
  return [...lameFindings(auth), ...serialFindings(auth), ...consistencyFindings(auth)];
}, 'authoritative');

// ---------------------------------------------------------------------------
// sipfed-target-expected, xmpp-target-expected

/**
 * Compare one service with what the operator expects: the set of SRV targets
 * (other than ".") must equal the expected targets, and the addresses of
 * those targets must equal the expected addresses, family by family, for the
 * families the operator listed (an expectation of IPv4 addresses only says
 * nothing about AAAA records). Fail names both sides; unknown when a lookup
 * needed for the comparison failed and nothing already differs.
 */
export function expectationFinding<Id extends 'sipfed-target-expected' | 'xmpp-target-expected'>(rule: Id, service: ServiceResolution, expected: ServiceExpectation): Finding<Id> | undefined {
  const expectedTargets = [...new Set((expected.targets ?? []).map(nameKey))].sort();
  const expectedAddresses = [...new Set((expected.addresses ?? []).map((a) => canonicalAddress(a) ?? a))].sort(compareAddresses);
  if (expectedTargets.length === 0 && expectedAddresses.length === 0) return undefined;
  const owner = service.owner;
  if (isUnknown(service.srv)) return say(rule, 'unknown', owner, 'expected-srv-unknown', { owner, detail: service.srv.detail }, service.srv.detail);
  const targets = [...new Set(srvRecords(service.srv).filter((r) => !isRootTarget(r.target)).map((r) => r.target.toLowerCase()))].sort();
  const missingTargets = expectedTargets.filter((t) => !targets.includes(t));
  const extraTargets = targets.filter((t) => !expectedTargets.includes(t));
  const targetsMatch = expectedTargets.length === 0 ? null : missingTargets.length === 0 && extraTargets.length === 0;

  const notCompared: NotComparedFact[] = [];
  const found = new Map<string, string[]>(); // address → targets
  if (expectedAddresses.length > 0) {
    const families = new Set(expectedAddresses.map(addressFamily));
    for (const target of service.targets) {
      if (!targets.includes(target.target.toLowerCase())) continue;
      for (const family of families) {
        const outcome: LookupOutcome | undefined = family === 4 ? target.a : target.aaaa;
        const type = family === 4 ? 'A' : 'AAAA';
        if (outcome === undefined || isUnknown(outcome)) {
          notCompared.push({ type, target: target.target, detail: outcome === undefined ? null : outcome.detail });
          continue;
        }
        for (const record of addressRecords(outcome)) {
          if (addressFamily(record.address) !== family) continue;
          const address = canonicalAddress(record.address) ?? record.address;
          found.set(address, [...(found.get(address) ?? []), target.target]);
        }
      }
    }
  }
  const have = [...found.keys()].sort(compareAddresses);
  const missingAddresses = expectedAddresses.filter((a) => !found.has(a));
  const extraAddresses = have.filter((a) => !expectedAddresses.includes(a));
  // Addresses that failed to resolve may be the missing ones: only an unexpected address, or a missing one with every lookup done, differs.
  const addressesMatch =
    expectedAddresses.length === 0
      ? null
      : extraAddresses.length > 0 || (missingAddresses.length > 0 && notCompared.length === 0)
        ? false
        : missingAddresses.length === 0 && notCompared.length === 0
          ? true
          : null;
  const facts: ExpectationFacts = {
    owner,
    srvAnswered: service.srv.kind === 'answer',
    expectedTargets,
    targets,
    missingTargets,
    extraTargets,
    targetsMatch,
    expectedAddresses,
    addresses: have.map((address) => ({ address, targets: found.get(address)! })),
    missingAddresses,
    extraAddresses,
    addressesMatch,
    notCompared,
  };
  if (targetsMatch === false || addressesMatch === false) return say(rule, 'fail', owner, 'expected-differ', facts);
  if (notCompared.length > 0) return say(rule, 'unknown', owner, 'expected-incomplete', facts, notCompared.map(notComparedText).join('; '));
  return say(rule, 'pass', owner, 'expected-match', facts);
}

/** sipfed-target-expected and xmpp-target-expected, when the operator stated targets or addresses. */
const expectationRules = defineRule(['sipfed-target-expected', 'xmpp-target-expected'], (obs, exp) => {
  const expect = exp.expect;
  if (expect === undefined) return [];
  const findings: Finding<'sipfed-target-expected' | 'xmpp-target-expected'>[] = [];
  const sipfed = expectationFinding('sipfed-target-expected', obs.sipfed, expect);
  if (sipfed !== undefined) findings.push(sipfed);
  if (expect.xmpp !== undefined && exp.xmpp !== 'off' && obs.xmpp !== undefined) {
    const xmpp = expectationFinding('xmpp-target-expected', obs.xmpp, expect.xmpp);
    if (xmpp !== undefined) findings.push(xmpp);
  }
  return findings;
});

/** The operations rules, in report order. */
export const OPERATIONS_RULES: readonly Rule<OperationsRuleId>[] = [expectationRules, authoritativeRules];
