/**
 * What changed since a previous run: `--since REPORT.json`. The comparison is a
 * pure function of two reports ({@link diffReports}); {@link ChangeTracker}
 * does the same one domain at a time for streamed output (ndjson), so a huge
 * run holds only the previous report and the change counts.
 *
 * Only conclusive observations are compared: when either run could not tell
 * (a lookup `error`), a record value is not reported as changed — a timeout
 * is not a moved edge. The rule and domain status changes still say it.
 */
import { nameKey } from '../dns/name-text.js';
import type { DomainStatus } from '../check/verdict.js';
import type { ComparableAddresses, ComparableDomain, ComparableReport, ComparableService, ComparableTls } from '../input/previous-report.js';
import type { Status } from '../rules/catalogue.js';
import { escapeControl } from '../escape.js';

/** How a domain's verdict changed. `from: null`: not in the previous report; `to: null`: not checked this time. */
export type DomainChangeKind = 'newly-failing' | 'newly-unknown' | 'newly-warning' | 'recovered' | 'improved' | 'added' | 'removed';

/** Every kind of change, as counted in {@link Changes.counts} (and the `kind` label of `fedcheck_changes`). */
export const CHANGE_KINDS = ['newly-failing', 'newly-unknown', 'newly-warning', 'recovered', 'improved', 'added', 'removed', 'rule', 'record'] as const;

/** A kind of change: a domain verdict kind, `rule` (a finding's status) or `record` (a record value). */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** A domain whose verdict changed, appeared or disappeared. */
export interface DomainChange {
  readonly domain: string;
  readonly kind: DomainChangeKind;
  readonly from: DomainStatus | null;
  readonly to: DomainStatus | null;
}

/** A finding (rule id + record name) whose status changed; null: the finding was not reported in that run. */
export interface RuleChange {
  readonly domain: string;
  readonly rule: string;
  readonly name: string;
  readonly from: Status | null;
  readonly to: Status | null;
}

/**
 * A record whose values changed between two conclusive lookups: the SRV set of
 * an owner (values "priority weight port target"), the A / AAAA addresses
 * of an SRV target or of a host a profile checks, named in both runs, or the
 * target of a name a profile asks for its CNAME. Values are sorted; an empty
 * list means the lookup was conclusive and found none (NXDOMAIN / NODATA).
 */
export interface RecordChange {
  readonly domain: string;
  readonly name: string;
  /** `certificate` (with `--probe` in both runs): the leaf an SRV target address presents, as "SHA-256 fingerprint (subject, until notAfter)". */
  readonly type: 'SRV' | 'A' | 'AAAA' | 'CNAME' | 'certificate';
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/** The changes of one domain. */
export interface DomainChanges {
  readonly status: DomainChange | null;
  readonly rules: readonly RuleChange[];
  readonly records: readonly RecordChange[];
}

/** What every form of the changes starts with: which report they are against, and how many of each kind. */
interface ChangeCounts {
  /** `startedAt` of the previous report. */
  readonly since: string;
  readonly counts: Readonly<Record<ChangeKind, number>>;
}

/** Everything that changed since the previous report: the top-level `changes` of the JSON report. */
export interface Changes extends ChangeCounts {
  /** Domain verdict changes, current domains in report order, then removed domains. */
  readonly domains: readonly DomainChange[];
  readonly rules: readonly RuleChange[];
  readonly records: readonly RecordChange[];
}

/** The part of {@link Changes} known only at the end of a streamed run. */
export interface StreamedChanges extends ChangeCounts {
  /** Domains of the previous report not checked this time. */
  readonly removed: readonly DomainChange[];
}

function zeroCounts(): Record<ChangeKind, number> {
  return Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
}

/** The kind of a verdict change, or undefined when nothing worth saying changed. */
function domainChangeKind(from: DomainStatus | null, to: DomainStatus): DomainChangeKind | undefined {
  if (from === to) return undefined;
  switch (to) {
    case 'fail':
      return 'newly-failing';
    case 'unknown':
      return 'newly-unknown';
    case 'pass':
      return from === null ? 'added' : 'recovered';
    case 'warn':
      return from === null || from === 'pass' ? 'newly-warning' : 'improved';
  }
}

function ruleChanges(previous: ComparableDomain, current: ComparableDomain): RuleChange[] {
  const findingKey = (f: { rule: string; name: string }): string => `${f.rule} ${nameKey(f.name)}`;
  const before = new Map<string, { rule: string; name: string; status: Status }>();
  for (const f of previous.findings) if (!before.has(findingKey(f))) before.set(findingKey(f), f);
  const out: RuleChange[] = [];
  const seen = new Set<string>();
  for (const f of current.findings) {
    const k = findingKey(f);
    if (seen.has(k)) continue;
    seen.add(k);
    const old = before.get(k);
    if (old?.status !== f.status) out.push({ domain: current.domain, rule: f.rule, name: f.name, from: old?.status ?? null, to: f.status });
  }
  for (const [k, f] of before) {
    if (!seen.has(k)) out.push({ domain: current.domain, rule: f.rule, name: f.name, from: f.status, to: null });
  }
  return out;
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();
const sameValues = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** A lookup that said nothing about the records: an error, or a referral to a zone not asked. */
const inconclusive = (lookup: { readonly result: string }): boolean => lookup.result === 'error' || lookup.result === 'referral';

function serviceChanges(domain: string, previous: ComparableService | null, current: ComparableService | null): RecordChange[] {
  if (previous === null || current === null) return [];
  // Only two conclusive lookups of the same owner are comparable.
  if (nameKey(previous.name) !== nameKey(current.name) || inconclusive(previous.lookup) || inconclusive(current.lookup)) return [];
  const out: RecordChange[] = [];
  const srvValues = (s: ComparableService): string[] => sorted(s.srv.map((r) => `${r.priority} ${r.weight} ${r.port} ${nameKey(r.target) || '.'}`));
  const srvBefore = srvValues(previous);
  const srvAfter = srvValues(current);
  if (!sameValues(srvBefore, srvAfter)) out.push({ domain, name: current.name, type: 'SRV', before: srvBefore, after: srvAfter });
  out.push(...addressChanges(domain, previous.targets, current.targets));
  out.push(...certificateChanges(domain, previous.targets, current.targets));
  return out;
}

/**
 * A renewed or replaced certificate: the leaf of a target address and port
 * that completed a handshake in both runs, when its fingerprint differs.
 * A probe that failed in either run says nothing (the rules' changes do).
 */
function certificateChanges(domain: string, previous: readonly ComparableAddresses[], current: readonly ComparableAddresses[]): RecordChange[] {
  const out: RecordChange[] = [];
  const leaf = (t: ComparableTls): string | undefined => {
    const c = t.chain?.[0];
    return c === undefined ? undefined : `${c.fingerprint256} (${c.subject}, until ${c.notAfter})`;
  };
  const before = new Map<string, string>();
  for (const target of previous) {
    for (const t of target.tls ?? []) {
      const l = t.result === 'tls' ? leaf(t) : undefined;
      if (l !== undefined) before.set(`${nameKey(target.name)} ${t.address} ${t.port}`, l);
    }
  }
  for (const target of current) {
    for (const t of target.tls ?? []) {
      const old = before.get(`${nameKey(target.name)} ${t.address} ${t.port}`);
      const now = t.result === 'tls' ? leaf(t) : undefined;
      if (old === undefined || now === undefined || old.split(' ')[0] === now.split(' ')[0]) continue;
      out.push({ domain, name: `${target.name} ${t.address.includes(':') ? `[${t.address}]` : t.address}:${t.port}`, type: 'certificate', before: [old], after: [now] });
    }
  }
  return out;
}

/** A / AAAA changes of the names in both lists (by name; `identity` adds e.g. a host's role). */
function addressChanges<T extends ComparableAddresses>(domain: string, previous: readonly T[], current: readonly T[], identity: (entry: T) => string = (e) => nameKey(e.name)): RecordChange[] {
  const out: RecordChange[] = [];
  const before = new Map(previous.map((entry) => [identity(entry), entry]));
  for (const entry of current) {
    const old = before.get(identity(entry));
    if (old === undefined || inconclusive(old.lookup) || inconclusive(entry.lookup)) continue;
    const a = { before: sorted(old.a), after: sorted(entry.a) };
    if (!sameValues(a.before, a.after)) out.push({ domain, name: entry.name, type: 'A', ...a });
    // AAAA is asked only when A is absent: compare it only when both runs asked.
    if (old.aaaa !== null && entry.aaaa !== null) {
      const aaaa = { before: sorted(old.aaaa), after: sorted(entry.aaaa) };
      if (!sameValues(aaaa.before, aaaa.after)) out.push({ domain, name: entry.name, type: 'AAAA', ...aaaa });
    }
  }
  return out;
}

/** The records only a profile asks for; compared only where both reports have them. */
function profileRecordChanges(domain: string, previous: ComparableDomain['records'], current: ComparableDomain['records']): RecordChange[] {
  const out: RecordChange[] = [
    ...serviceChanges(domain, previous.sipTls ?? null, current.sipTls ?? null),
    ...serviceChanges(domain, previous.xmppsServer ?? null, current.xmppsServer ?? null),
    ...addressChanges(domain, previous.hosts ?? [], current.hosts ?? [], (h) => `${h.role} ${nameKey(h.name)}`),
  ];
  const oldCnames = new Map((previous.cnames ?? []).map((c) => [nameKey(c.name), c]));
  for (const cname of current.cnames ?? []) {
    const old = oldCnames.get(nameKey(cname.name));
    if (old === undefined || inconclusive(old.lookup) || inconclusive(cname.lookup)) continue;
    const values = (target: string | null): string[] => (target === null ? [] : [nameKey(target)]);
    if (!sameValues(values(old.target), values(cname.target))) out.push({ domain, name: cname.name, type: 'CNAME', before: values(old.target), after: values(cname.target) });
  }
  return out;
}

/**
 * The changes of one domain against its entry in the previous report.
 * `previous` undefined: the domain is not in the previous report; `partial`:
 * that report omits domains (it was written with `--quiet`), so an absent
 * domain may simply have passed and is not reported as `added`.
 */
export function diffDomain(previous: ComparableDomain | undefined, current: ComparableDomain, partial = false): DomainChanges {
  if (previous === undefined) {
    const kind = domainChangeKind(null, current.status);
    const status = kind === undefined || (kind === 'added' && partial) ? null : { domain: current.domain, kind, from: null, to: current.status };
    return { status, rules: [], records: [] };
  }
  const kind = domainChangeKind(previous.status, current.status);
  return {
    status: kind === undefined ? null : { domain: current.domain, kind, from: previous.status, to: current.status },
    rules: ruleChanges(previous, current),
    records: [
      ...serviceChanges(current.domain, previous.records.sipfederationtls, current.records.sipfederationtls),
      ...serviceChanges(current.domain, previous.records.xmppServer, current.records.xmppServer),
      ...profileRecordChanges(current.domain, previous.records, current.records),
    ],
  };
}

/** True when a domain's changes are empty. */
export function isUnchanged(changes: DomainChanges): boolean {
  return changes.status === null && changes.rules.length === 0 && changes.records.length === 0;
}

/** True when nothing at all changed. */
export function nothingChanged(counts: Readonly<Record<ChangeKind, number>>): boolean {
  return CHANGE_KINDS.every((k) => counts[k] === 0);
}

/**
 * Whether `--quiet` has nothing to say: every domain passes and nothing
 * changed (`counts` undefined: there was no previous report to compare with).
 */
export function nothingToSay(summary: { readonly domains: number; readonly pass: number }, counts: Readonly<Record<ChangeKind, number>> | undefined): boolean {
  return summary.pass === summary.domains && (counts === undefined || nothingChanged(counts));
}

/**
 * Compares domains one at a time as they finish, for streamed output: `add`
 * each current domain, then `finish` for the counts and the removed domains.
 */
export class ChangeTracker {
  private readonly previous = new Map<string, ComparableDomain>();
  private readonly seen = new Set<string>();
  private readonly counts = zeroCounts();
  private readonly partial: boolean;
  private readonly since: string;

  constructor(previous: ComparableReport) {
    for (const d of previous.domains) if (!this.previous.has(nameKey(d.domain))) this.previous.set(nameKey(d.domain), d);
    this.partial = previous.summary.domains > previous.domains.length;
    this.since = previous.startedAt;
  }

  /** Compare one current domain; a domain met twice is compared once. */
  add(current: ComparableDomain): DomainChanges {
    const k = nameKey(current.domain);
    if (this.seen.has(k)) return { status: null, rules: [], records: [] };
    this.seen.add(k);
    const changes = diffDomain(this.previous.get(k), current, this.partial);
    if (changes.status !== null) this.counts[changes.status.kind] += 1;
    this.counts.rule += changes.rules.length;
    this.counts.record += changes.records.length;
    return changes;
  }

  /** The domains of the previous report that were not added, and the final counts. */
  finish(): StreamedChanges {
    const removed: DomainChange[] = [];
    for (const [k, d] of this.previous) {
      if (!this.seen.has(k)) removed.push({ domain: d.domain, kind: 'removed', from: d.status, to: null });
    }
    return { since: this.since, counts: { ...this.counts, removed: this.counts.removed + removed.length }, removed };
  }
}

/** Pure: what changed from `previous` to `current`. */
export function diffReports(previous: ComparableReport, current: { readonly domains: readonly ComparableDomain[] }): Changes {
  const tracker = new ChangeTracker(previous);
  const domains: DomainChange[] = [];
  const rules: RuleChange[] = [];
  const records: RecordChange[] = [];
  for (const domain of current.domains) {
    const c = tracker.add(domain);
    if (c.status !== null) domains.push(c.status);
    rules.push(...c.rules);
    records.push(...c.records);
  }
  const end = tracker.finish();
  return { since: end.since, counts: end.counts, domains: [...domains, ...end.removed], rules, records };
}

const KIND_WORDS: Record<ChangeKind, [one: string, many: string]> = {
  'newly-failing': ['newly failing', 'newly failing'],
  'newly-unknown': ['newly unknown', 'newly unknown'],
  'newly-warning': ['newly warning', 'newly warning'],
  recovered: ['recovered', 'recovered'],
  improved: ['improved', 'improved'],
  added: ['added', 'added'],
  removed: ['removed', 'removed'],
  rule: ['rule change', 'rule changes'],
  record: ['record change', 'record changes'],
};

/** "1 newly failing, 2 rule changes", or "no changes". */
export function describeCounts(counts: Readonly<Record<ChangeKind, number>>): string {
  const parts = CHANGE_KINDS.filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${KIND_WORDS[k][counts[k] === 1 ? 0 : 1]}`);
  return parts.length === 0 ? 'no changes' : parts.join(', ');
}

const shown = (s: string | null): string => s ?? 'not reported';
const values = (v: readonly string[]): string => (v.length === 0 ? '(none)' : v.map(escapeControl).join(', '));

/** One line per domain change (no indentation), control characters escaped. */
export function describeDomainChange(c: DomainChange): string {
  const name = escapeControl(c.domain);
  if (c.kind === 'removed') return `removed: ${name} (was ${c.from}; not checked this time)`;
  if (c.from === null) return `${KIND_WORDS[c.kind][0]}: ${name} (${c.to}; not in the previous report)`;
  return `${KIND_WORDS[c.kind][0]}: ${name} (${c.from} → ${c.to})`;
}

/** One line per rule change, control characters escaped. */
export function describeRuleChange(c: RuleChange): string {
  return `rule: ${escapeControl(c.domain)} ${escapeControl(c.rule)} ${escapeControl(c.name)}: ${shown(c.from)} → ${shown(c.to)}`;
}

/** One line per record change, control characters escaped. */
export function describeRecordChange(c: RecordChange): string {
  return `record: ${escapeControl(c.name)} ${c.type}: ${values(c.before)} → ${values(c.after)}`;
}

/**
 * The changes as plain text lines: a heading, then one indented line per
 * change. Shared by the table and Nagios formats.
 */
export function describeChanges(changes: Changes): string[] {
  const head = `Changes since ${escapeControl(changes.since)}: ${describeCounts(changes.counts)}`;
  return [
    head,
    ...changes.domains.map((c) => `  ${describeDomainChange(c)}`),
    ...changes.rules.map((c) => `  ${describeRuleChange(c)}`),
    ...changes.records.map((c) => `  ${describeRecordChange(c)}`),
  ];
}

