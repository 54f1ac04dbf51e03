/**
 * `--format html`: one self-contained page a person can open, read, print and
 * pass on. The summary and the worst problems come first; then every domain
 * as a `<details>` (readable with scripting off), failing domains first and
 * with everything (each finding's message, what breaks, the source document,
 * the record to publish from `fedcheck plan`, the records seen, with
 * `--since` what changed), passing ones compactly. The inline style sheet and
 * script are admitted by hash (src/report/html-assets.ts); there is no other
 * script, no inline handler, no `style` attribute and no fetch.
 *
 * Every string that can come from DNS, a server or the input (names, SRV
 * targets, addresses, messages, lookup details) goes through {@link text},
 * which escapes control characters as the other formats do (src/escape.ts) and
 * then HTML-escapes `& < > " '`, so it is safe as element text and as a quoted
 * attribute value alike. No such string ever becomes a link, an id, a class or
 * script: links point only at the report's own `#d-N` anchors and at the
 * catalogue's source documents.
 *
 * Streaming ({@link HtmlWriter}): each domain is rendered as it finishes and
 * spooled (src/report/spool.ts) by status, so a run of 100,000 domains holds
 * no results; at the end the head and summary are written, then the spools,
 * worst status first.
 */
import type { DomainResult, ReportedFinding } from '../check/check-domain.js';
import { isProblem } from '../check/check-domain.js';
import { planRecords, PLAN_TTL, type PlannedRecord } from '../check/plan.js';
import type { ServiceRecord, TargetRecord, OutcomeRecord } from '../check/records.js';
import type { DomainStatus } from '../check/verdict.js';
import type { ProbedTargetRecord } from '../check/probe-records.js';
import { nameKey } from '../dns/name-text.js';
import { CATALOGUE, citation, STATUS_SEVERITY, type RuleId, type Status } from '../rules/catalogue.js';
import { DEFAULT_CLOUD, DEFAULT_PROFILE } from '../rules/profiles/profiles.js';
import { ChangeTracker, describeCounts, isUnchanged, nothingChanged, type DomainChange, type DomainChanges, type StreamedChanges } from './diff.js';
import type { ComparableReport } from '../input/previous-report.js';
import { HTML_CSP, HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { splitChanges } from './ndjson.js';
import type { RunReport } from './report.js';
import { htmlText } from '../escape.js';
import { ipFamily } from '../dns/ip-text.js';
import { memorySpools, type Spool, type SpoolFactory } from './spool.js';

/** Any string as HTML text or as a quoted attribute value (src/escape.ts). */
export const text = htmlText;

/** Domain statuses, worst first: the order of the domain list. */
const STATUS_ORDER: readonly DomainStatus[] = ['fail', 'unknown', 'warn', 'pass'];

const LABEL: Readonly<Record<Status, string>> = { pass: 'pass', info: 'info', warn: 'warn', fail: 'fail', unknown: 'unknown' };

const badge = (status: Status): string => `<span class="badge s-${status}">${LABEL[status]}</span>`;

/**
 * A section of a domain's expanded body after its records. The TLS probe
 * (src/probe/, issue 14) adds one here for its results; each gets the domain's
 * result and returns HTML, escaping every string it shows with {@link text}.
 */
export type HtmlDomainSection = (domain: DomainResult) => string;

/** Extra sections of each domain, in order (see {@link HtmlDomainSection}). */
export const HTML_DOMAIN_SECTIONS: HtmlDomainSection[] = [];

// ---------------------------------------------------------------------------
// One domain

/** How a lookup ended, in words: "answer · 127.0.0.1:53 udp", "NXDOMAIN", "could not tell: timeout". */
function lookupText(lookup: OutcomeRecord): string {
  switch (lookup.result) {
    case 'answer':
      return `answer${lookup.server !== undefined ? ` · ${text(lookup.server)}${lookup.transport !== undefined ? ` ${lookup.transport}` : ''}` : ''}`;
    case 'nxdomain':
      return 'NXDOMAIN (does not exist)';
    case 'nodata':
      return 'NODATA (no such record)';
    case 'error':
      return `could not tell${lookup.detail !== undefined ? `: ${text(lookup.detail)}` : ''}`;
    default:
      return text(lookup.result);
  }
}

/** Record rows changed since `--since`, as "name TYPE" keys. */
type ChangedRecords = ReadonlySet<string>;
const recordKey = (name: string, type: string): string => `${nameKey(name)} ${type}`;

function row(name: string, type: string, value: string, lookup: string, changed: ChangedRecords, sub = false, note = ''): string {
  const classes = [sub ? 'sub' : '', changed.has(recordKey(name, type)) ? 'changed' : ''].filter((c) => c !== '').join(' ');
  return `<tr${classes === '' ? '' : ` class="${classes}"`}><td class="n mono">${text(name)}${note}</td><td>${type}</td><td class="n mono">${value}</td><td>${lookup}</td></tr>`;
}

const cnameRows = (lookup: OutcomeRecord, changed: ChangedRecords, sub: boolean): string =>
  lookup.cname
    .map((hop) => {
      const [from = hop, to = ''] = hop.split(' -> ');
      return row(from, 'CNAME', text(to), 'followed', changed, sub);
    })
    .join('');

function addressRows(target: TargetRecord, changed: ChangedRecords, sub: boolean, note = ''): string {
  const look = lookupText(target.lookup);
  const values = (list: readonly string[]): string => (list.length > 0 ? list.map(text).join('<br>') : '—');
  let out = cnameRows(target.lookup, changed, sub) + row(target.name, 'A', values(target.a), look, changed, sub, note);
  if (target.aaaa !== null) out += row(target.name, 'AAAA', values(target.aaaa), look, changed, sub, note);
  return out;
}

function serviceRows(service: ServiceRecord, changed: ChangedRecords): string {
  let out = cnameRows(service.lookup, changed, false);
  const look = lookupText(service.lookup);
  out +=
    service.srv.length === 0
      ? row(service.name, 'SRV', '—', look, changed)
      : service.srv.map((r) => row(service.name, 'SRV', `${r.priority} ${r.weight} ${r.port} ${text(r.target === '' ? '.' : r.target)}`, look, changed)).join('');
  for (const target of service.targets) out += addressRows(target, changed, true) + tlsaRows(target, changed);
  return out;
}

/** `--probe`: a target's TLSA lookups (RFC 7673 §3), each record with what it matched or why it was set aside. */
function tlsaRows(target: ProbedTargetRecord, changed: ChangedRecords): string {
  let out = '';
  for (const t of target.tlsa ?? []) {
    const state = `DNSSEC: TLSA ${t.security.tlsa}, SRV ${t.security.srv}, addresses ${t.security.addresses}`;
    // RFC 7671 §7: a target that is a secure alias has its expanded name as TLSA base domain and SNI.
    const names = [
      nameKey(t.baseDomain) !== nameKey(target.name) ? `base domain ${t.baseDomain} (the alias expanded)` : '',
      nameKey(t.serverName) !== nameKey(target.name) ? `SNI ${t.serverName}` : '',
    ].filter((n) => n !== '');
    const look = t.result === 'answer' ? `answer · ${text([state, ...names].join(' · '))}` : t.result === 'nxdomain' ? 'NXDOMAIN (does not exist)' : t.result === 'nodata' ? 'NODATA (no such record)' : `could not tell${t.detail !== undefined ? `: ${text(t.detail)}` : ''}`;
    if (t.records.length === 0) {
      out += row(t.owner, 'TLSA', '—', look, changed, true);
      continue;
    }
    for (const r of t.records) {
      const data = r.data.length > 24 ? `${r.data.slice(0, 16)}…` : r.data;
      const verdict = !r.usable
        ? `unusable: ${r.reason ?? '?'}`
        : r.supersededBy !== undefined
          ? `ignored: the set holds ${r.supersededBy} records too, and only the strongest digest counts (RFC 7671 §9)`
          : r.matched.length > 0 ? `matches ${r.matched.join(', ')}` : 'matches no address probed';
      out += row(t.owner, 'TLSA', `${r.usage} ${r.selector} ${r.matchingType} ${text(data)} <span class="more">(${text(r.mnemonic)}; ${text(verdict)})</span>`, look, changed, true);
    }
  }
  return out;
}

/** The records a domain's lookups found: SRV owners and their targets, the hosts and CNAMEs a profile asked. */
function recordsTable(domain: DomainResult, changed: ChangedRecords): string {
  const r = domain.records;
  let body = serviceRows(r.sipfederationtls, changed);
  if (r.xmppServer !== null) body += serviceRows(r.xmppServer, changed);
  if (r.sipTls !== undefined) body += serviceRows(r.sipTls, changed);
  if (r.xmppsServer !== undefined) body += serviceRows(r.xmppsServer, changed);
  for (const host of r.hosts ?? []) body += addressRows(host, changed, false, ` <span class="more">(${text(host.role)})</span>`);
  for (const c of r.cnames ?? []) body += cnameRows(c.lookup, changed, false) + row(c.name, 'CNAME', c.target === null ? '—' : text(c.target), lookupText(c.lookup), changed);
  return `<h4>Records</h4><table class="rec"><thead><tr><th>Name</th><th>Type</th><th>Value</th><th>Lookup</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** The Access Edge the domain's own SRV names, for the plan (so a wrong port shows the fix for its real host). */
function observedEdge(domain: DomainResult): { edge?: string; addresses: string[] } {
  const srv = domain.records.sipfederationtls.srv[0] ?? domain.records.sipTls?.srv[0];
  const target = srv === undefined ? '' : nameKey(srv.target);
  if (target === '.' || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(target)) return { addresses: [] };
  const found = domain.records.sipfederationtls.targets.find((t) => nameKey(t.name) === target);
  const addresses = [...(found?.a ?? []), ...(found?.aaaa ?? [])].filter((a) => ipFamily(a) !== 0);
  return { edge: target, addresses };
}

/** The zone-file lines `fedcheck plan` would give for a finding's rule, for this domain. */
function planFor(finding: ReportedFinding, plan: () => readonly PlannedRecord[]): string {
  if (finding.status !== 'fail' && finding.status !== 'warn') return '';
  const records = plan().filter((r) => r.active && r.rules.includes(finding.rule));
  if (records.length === 0) return '';
  const lines = records.map((r) => `${r.owner} ${PLAN_TTL} IN ${r.type} ${r.data}`);
  return `<dt>Publish</dt><dd><pre class="zone">${lines.map(text).join('\n')}</pre></dd>`;
}

function findingItem(finding: ReportedFinding, plan: () => readonly PlannedRecord[], changed: ReadonlyMap<string, DomainChanges['rules'][number]>): string {
  const info = CATALOGUE[finding.rule];
  const change = changed.get(`${finding.rule} ${nameKey(finding.name)}`);
  let more = '';
  if (finding.reason !== undefined) more += `<dt>Could not tell</dt><dd class="n">${text(finding.reason)}</dd>`;
  if (isProblem(finding)) {
    more += `<dt>What breaks</dt><dd>${text(finding.breaks)}</dd>`;
    // The catalogue's own URL (never one from DNS), and only an https one.
    const url = finding.source.url.startsWith('https://') ? finding.source.url : undefined;
    const cite = text(citation(finding.source));
    more += `<dt>Source</dt><dd>${url === undefined ? cite : `<a href="${text(url)}" rel="noopener noreferrer">${cite}</a>`}</dd>`;
    more += planFor(finding, plan);
  }
  if (change !== undefined) more += `<dt>Changed</dt><dd class="changed">was ${change.from ?? 'not reported'}, now ${change.to ?? 'not reported'}</dd>`;
  return (
    `<li class="f ${finding.status}${change !== undefined ? ' changed-f' : ''}">${badge(finding.status)} <code>${finding.rule}</code> ${text(info.title)} · <span class="n mono">${text(finding.name)}</span>` +
    `<p class="n">${text(finding.message)}</p>${more === '' ? '' : `<dl>${more}</dl>`}</li>`
  );
}

function changesList(changes: DomainChanges): string {
  const items: string[] = [];
  if (changes.status !== null) items.push(`<li>${domainChangeText(changes.status)}</li>`);
  for (const c of changes.rules) items.push(`<li><code>${text(c.rule)}</code> <span class="n mono">${text(c.name)}</span>: ${c.from ?? 'not reported'} → <strong>${c.to ?? 'not reported'}</strong></li>`);
  for (const c of changes.records) {
    const values = (v: readonly string[]): string => (v.length === 0 ? '(none)' : v.map(text).join(', '));
    items.push(`<li><span class="n mono">${text(c.name)}</span> ${c.type}: <del class="n mono">${values(c.before)}</del> → <ins class="n mono">${values(c.after)}</ins></li>`);
  }
  return items.length === 0 ? '' : `<section class="chg changed"><h4>Changed since the previous report</h4><ul>${items.join('')}</ul></section>`;
}

const KIND_TEXT: Readonly<Record<DomainChange['kind'], string>> = {
  'newly-failing': 'newly failing',
  'newly-unknown': 'newly unknown',
  'newly-warning': 'newly warning',
  recovered: 'recovered',
  improved: 'improved',
  added: 'added',
  removed: 'removed',
};

function domainChangeText(c: DomainChange): string {
  if (c.kind === 'removed') return `removed (was ${c.from ?? '?'}; not checked this time)`;
  if (c.from === null) return `${KIND_TEXT[c.kind]} (${c.to ?? '?'}; not in the previous report)`;
  return `${KIND_TEXT[c.kind]}: ${c.from} → <strong>${c.to ?? '?'}</strong>`;
}

/** The profile a domain was checked as, in words. */
function profileText(domain: DomainResult): string {
  const p = domain.profile;
  if (p === undefined) return DEFAULT_PROFILE;
  return `${p.applied}${p.applied === 'online' && p.cloud !== undefined && p.cloud !== DEFAULT_CLOUD ? ` ${p.cloud}` : ''}${p.requested === 'auto' ? ' (auto)' : ''}`;
}

const worstFirst = (a: ReportedFinding, b: ReportedFinding): number => STATUS_SEVERITY[b.status] - STATUS_SEVERITY[a.status];

/** What a service found, in a few words: "SRV 100 1 5061 sip.d → 192.0.2.10", "NXDOMAIN (does not exist)". */
function serviceBrief(service: ServiceRecord): string {
  if (service.srv.length === 0) return lookupText(service.lookup);
  return service.srv
    .map((r) => {
      const target = r.target === '' ? '.' : r.target;
      const t = service.targets.find((x) => nameKey(x.name) === nameKey(target));
      const addresses = t === undefined ? [] : [...t.a, ...(t.aaaa ?? [])];
      const alias = t?.lookup.cname.length ? ` (${t.lookup.cname.map(text).join(', ')})` : '';
      return `SRV ${r.priority} ${r.weight} ${r.port} ${text(target)}${alias}${addresses.length > 0 ? ` → ${addresses.map(text).join(' ')}` : ''}`;
    })
    .join('; ');
}

/** Lines per chunk of the one-line lists: each chunk is laid out only near the viewport (`content-visibility: auto`). */
export const LINES_PER_CHUNK = 500;

/**
 * Domains of each status shown in full; beyond that, a status's domains are
 * one line each too (a run where every domain is `unknown`, say because the
 * resolver is down, would otherwise be 4 kB a domain: 400 MB for 100,000).
 */
export const FULL_PER_STATUS = 2000;

/**
 * A domain as one line: most of a big report, so three or four elements,
 * not a `<details>`. A passing one shows what expanding would: each
 * service's SRV and its target's addresses, the profile's hosts and CNAMEs,
 * its info findings by rule. One that needs attention (beyond
 * {@link FULL_PER_STATUS}) shows its status, its problem rules and its worst
 * finding's message.
 */
export function renderLine(domain: DomainResult, changes?: DomainChanges): string {
  const r = domain.records;
  const parts: string[] = [];
  const problems = domain.findings.filter(isProblem).sort(worstFirst);
  if (problems.length > 0) parts.push(text(problems[0]!.message));
  parts.push(`federation ${serviceBrief(r.sipfederationtls)}`);
  if (r.xmppServer !== null) parts.push(`XMPP ${serviceBrief(r.xmppServer)}`);
  if (r.sipTls !== undefined) parts.push(`_sip._tls ${serviceBrief(r.sipTls)}`);
  if (r.xmppsServer !== undefined) parts.push(`XMPPS ${serviceBrief(r.xmppsServer)}`);
  for (const h of r.hosts ?? []) parts.push(`${text(h.role)} ${text(h.name)} → ${[...h.a, ...(h.aaaa ?? [])].map(text).join(' ') || '—'}`);
  for (const c of r.cnames ?? []) parts.push(`${text(c.name)} CNAME ${c.target === null ? '—' : text(c.target)}`);
  if (domain.dnssec !== undefined) parts.push(`DNSSEC ${domain.dnssec.state}`);
  const infos = [...new Set(domain.findings.filter((f) => f.status === 'info').map((f) => f.rule))];
  if (infos.length > 0) parts.push(`info: ${infos.join(', ')}`);
  const input = domain.input !== domain.domain && domain.input !== '' ? `<span class="input">${text(domain.input)}</span>` : '';
  const changed = changes !== undefined && !isUnchanged(changes);
  let extra = '';
  for (const section of HTML_DOMAIN_SECTIONS) extra += section(domain);
  const rules = [...new Set(problems.map((f) => f.rule))];
  const attributes =
    domain.status === 'pass' ? '' : ` data-status="${domain.status}" data-n="${problems.length}" data-rules="${rules.join(' ')}"${changed ? ' data-changed=""' : ''}`;
  const status = domain.status === 'pass' ? '' : `${badge(domain.status)}${changed ? '<span class="tag">changed</span>' : ''} <code>${rules.join(' ')}</code> · `;
  return `<li${attributes}><span class="dom n">${text(domain.domain)}${input}</span><span>${text(profileText(domain))}</span><span class="n mono">${status}${parts.join(' · ')}</span>${extra}</li>\n`;
}

/** The DNSSEC state through the resolver, who vouched, and each answer that was not secure. */
function dnssecSection(domain: DomainResult): string {
  const d = domain.dnssec;
  if (d === undefined) return '';
  const vouched = d.vouchedBy.length > 0 ? ` · AD set by <span class="mono">${d.vouchedBy.map(text).join(', ')}</span>` : '';
  const rows = d.notSecure.map((a) => `<li><span class="mono">${text(a.name)} ${a.type}</span> ${a.state}${a.server !== undefined ? ` (${text(a.server)})` : ''}</li>`).join('');
  return `<h4>DNSSEC</h4><p class="n">${d.state}${vouched}</p>${rows === '' ? '' : `<ul>${rows}</ul>`}`;
}

/**
 * One domain as a `<details>`: a summary row (name, status, profile, problem
 * count, the worst message) and, expanded, its findings, records, extra
 * sections and changes. `seq` gives it the id `d-SEQ`.
 */
export function renderDomain(domain: DomainResult, seq: number, changes?: DomainChanges): string {
  const changed = changes !== undefined && (changes.status !== null || changes.rules.length > 0 || changes.records.length > 0);
  const problems = domain.findings.filter(isProblem).sort(worstFirst);
  const holding = domain.findings.filter((f) => !isProblem(f));
  const rules = [...new Set(domain.findings.filter((f) => f.status !== 'pass').map((f) => f.rule))];
  const name = text(domain.domain);
  const input = domain.input !== domain.domain && domain.input !== '' ? `<span class="input n">${text(domain.input)}</span>` : '';
  const passed = new Set(holding.map((f) => f.rule)).size;
  const headline = problems[0]?.message ?? domain.findings.find((f) => f.status === 'info')?.message ?? `${passed} rule${passed === 1 ? '' : 's'} pass`;
  const profile = profileText(domain);
  let body = '';
  if (changed) body += changesList(changes);
  if (problems.length > 0) {
    let planned: readonly PlannedRecord[] | undefined;
    const plan = (): readonly PlannedRecord[] =>
      (planned ??= planRecords(domain.domain, {
        profile: domain.profile?.applied ?? DEFAULT_PROFILE,
        cloud: domain.profile?.cloud ?? DEFAULT_CLOUD,
        ...observedEdge(domain),
        proxy: [],
      }));
    const ruleChanges = new Map((changes?.rules ?? []).map((c) => [`${c.rule} ${nameKey(c.name)}`, c]));
    body += `<h4>Findings</h4><ol class="findings">${problems.map((f) => findingItem(f, plan, ruleChanges)).join('')}</ol>`;
  }
  if (holding.length > 0) {
    const infos = holding.filter((f) => f.status === 'info');
    body += infos.map((f) => `<p class="ok">${badge('info')} <code>${f.rule}</code> <span class="n">${text(f.message)}</span></p>`).join('');
    const passing = [...new Set(holding.filter((f) => f.status === 'pass').map((f) => f.rule))];
    if (passing.length > 0) body += `<p class="ok">${passing.length} rule${passing.length === 1 ? '' : 's'} pass: ${passing.map((r) => `<code>${r}</code>`).join(' ')}</p>`;
  }
  const changedRecords = new Set((changes?.records ?? []).map((c) => recordKey(c.name, c.type)));
  body += recordsTable(domain, changedRecords);
  body += dnssecSection(domain);
  for (const section of HTML_DOMAIN_SECTIONS) body += section(domain);
  return (
    `<details class="d" id="d-${seq}" data-status="${domain.status}" data-n="${problems.length}"` +
    ` data-rules="${rules.join(' ')}" data-name="${text(nameKey(domain.domain))}" data-profile="${text(profile)}"${changed ? ' data-changed=""' : ''}>` +
    `<summary><span class="dom n">${name}${input}</span><span>${badge(domain.status)}${changed ? '<span class="tag">changed</span>' : ''}</span>` +
    `<span>${text(profile)}</span><span class="num">${problems.length}</span><span class="msg n">${text(headline)}</span></summary>` +
    `<div class="b">${body}</div></details>\n`
  );
}

// ---------------------------------------------------------------------------
// The page around the domains

/** What the summary needs that only the domains tell; bounded by the number of rules and profiles. */
interface Tally {
  /** Per rule: domains where it is not pass/info, its worst status, a few example domains (seq, name). */
  readonly rules: Map<RuleId, { domains: number; worst: Status; examples: [number, string][] }>;
  readonly profiles: Map<string, number>;
  /** The first changed domains: seq, name, what changed as HTML (the rest are found with the "changed" filter). */
  readonly changes: [number, string, string][];
  changed: number;
}

const EXAMPLES = 4;
const CHANGES_LISTED = 50;

function chart(summary: RunReport['summary']): string {
  const rows = STATUS_ORDER.map((s) => [s, summary[s]] as const);
  const max = Math.max(1, ...rows.map(([, n]) => n));
  const bars = rows
    .map(([status, n], i) => {
      const y = 8 + i * 28;
      const width = n === 0 ? 0 : Math.max(3, Math.round((200 * n) / max));
      return (
        `<text x="0" y="${y + 14}">${status}</text><rect class="track" x="64" y="${y}" width="200" height="18" rx="3"/>` +
        `<rect class="bar-${status}" x="64" y="${y}" width="${width}" height="18" rx="3"/><text x="272" y="${y + 14}" data-count="${status}">${n}</text>`
      );
    })
    .join('');
  const title = `Domains by status: ${rows.map(([s, n]) => `${n} ${s}`).join(', ')}`;
  const attention = summary.domains - summary.pass;
  const caption = `<figcaption><strong>${attention}</strong>of ${summary.domains} domain${summary.domains === 1 ? '' : 's'} need${attention === 1 ? 's' : ''} attention</figcaption>`;
  return `<figure class="chart" aria-label="${title}">${caption}<svg viewBox="0 0 330 120" width="330" height="120" role="img"><title>${title}</title>${bars}</svg></figure>`;
}

function runFacts(report: RunReport, tally: Tally): string {
  const started = text(report.startedAt);
  const via =
    report.zones !== undefined
      ? `<dt>Zone files</dt><dd class="n">${report.zones.map(text).join('<br>')}</dd>`
      : `<dt>${report.mode === 'authoritative' ? 'Authoritative via' : 'Resolvers'}</dt><dd class="n mono">${report.resolvers.map(text).join(', ')}</dd>`;
  const profiles = [...tally.profiles].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${text(p)} (${n})`).join(', ');
  const q = report.queries;
  return (
    `<dl class="run"><dt>Started</dt><dd><time datetime="${started}">${when(report.startedAt)}</time></dd><dt>Took</dt><dd>${report.seconds.toFixed(2)} s</dd>` +
    `<dt>Domains</dt><dd>${report.summary.domains}</dd>${via}<dt>Profile</dt><dd>${profiles === '' ? DEFAULT_PROFILE : profiles}</dd>` +
    `<dt>Queries</dt><dd>${q.udp + q.tcp} sent (${q.tcp} over TCP), ${q.lookups} lookups, ${q.cacheHits} from the run's cache</dd></dl>`
  );
}

function worstProblems(tally: Tally): string {
  const rules = [...tally.rules].sort((a, b) => STATUS_SEVERITY[b[1].worst] - STATUS_SEVERITY[a[1].worst] || b[1].domains - a[1].domains).slice(0, 5);
  if (rules.length === 0) return '<h3>Problems</h3><p>No problems: every domain passes.</p>';
  const items = rules.map(([rule, r]) => {
    const info = CATALOGUE[rule];
    const examples = r.examples.map(([seq, name]) => `<a href="#d-${seq}" class="n">${text(name)}</a>`).join(', ');
    return (
      `<li>${badge(r.worst)} <code>${rule}</code> <strong>${text(info.title)}</strong> — ${r.domains} domain${r.domains === 1 ? '' : 's'}` +
      `<div class="what">${text(info.breaks.replace(/\bD's\b/g, "the domain's").replace(/\bD\b/g, 'the domain'))}</div><div class="what">e.g. ${examples}${r.domains > r.examples.length ? ', …' : ''}</div></li>`
    );
  });
  return `<h3>Worst problems</h3><ol class="worst">${items.join('')}</ol>`;
}

function changesSummary(changes: StreamedChanges, tally: Tally): string {
  const since = text(changes.since);
  let out = `<h3>Changes since <time datetime="${since}">${when(changes.since)}</time></h3><p class="${nothingChanged(changes.counts) ? '' : 'changed'}">${text(describeCounts(changes.counts))}</p>`;
  const items = tally.changes.map(([seq, name, what]) => `<li><a href="#d-${seq}" class="n">${text(name)}</a>: ${what}</li>`);
  for (const c of changes.removed.slice(0, CHANGES_LISTED)) items.push(`<li><span class="n">${text(c.domain)}</span>: ${domainChangeText(c)}</li>`);
  const hidden = tally.changed - tally.changes.length + Math.max(0, changes.removed.length - CHANGES_LISTED);
  if (items.length > 0) out += `<ul class="chglist">${items.join('')}</ul>`;
  if (hidden > 0) out += `<p class="more">and ${hidden} more: filter the domains by "changed"</p>`;
  return out;
}

/** "2026-12-03 09:42:56 UTC" from an ISO time; anything else as it is. */
function when(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$/.exec(iso);
  return m === null ? text(iso) : `${m[1]} ${m[2]} UTC`;
}

function head(report: RunReport): string {
  const s = report.summary;
  const title = `fedcheck report · ${s.domains} domain${s.domains === 1 ? '' : 's'}${s.fail > 0 ? ` · ${s.fail} fail` : ''}`;
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">\n` +
    `<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">` +
    `<meta name="generator" content="fedcheck ${text(report.tool.version)}"><title>${title}</title>\n<style>${HTML_STYLE}</style></head>\n<body>\n`
  );
}

function controls(tally: Tally, streamed: StreamedChanges | undefined): string {
  const ruleOptions = [...tally.rules.keys()].sort().map((r) => `<option value="${r}">${r}</option>`).join('');
  return (
    `<form class="controls" id="controls" hidden role="search"><label>Status <select name="status"><option value="">all</option><option value="problems">not pass</option>` +
    STATUS_ORDER.map((s) => `<option value="${s}">${s}</option>`).join('') +
    `</select></label><label>Rule <select name="rule"><option value="">any</option>${ruleOptions}</select></label>` +
    `<label>Text <input type="search" name="q" placeholder="domain, target, message" autocomplete="off"></label>` +
    (streamed !== undefined ? '<label><input type="checkbox" name="changed"> changed only</label>' : '') +
    `<button type="button" id="expand">Expand shown</button><button type="button" id="collapse">Collapse</button><output id="shown"></output></form>`
  );
}

function page(report: RunReport, tally: Tally, streamed: StreamedChanges | undefined): string {
  return (
    head(report) +
    `<header class="top"><div><h1>fedcheck report</h1><p>${report.summary.domains} SIP domains checked for federation, push and XMPP records</p></div>` +
    `<p>${when(report.startedAt)} · fedcheck ${text(report.tool.version)}</p></header>\n<main>\n` +
    `<section class="card" aria-label="At a glance"><div class="glance">${chart(report.summary)}${runFacts(report, tally)}</div>` +
    worstProblems(tally) +
    (streamed !== undefined ? changesSummary(streamed, tally) : '') +
    `</section>\n<section class="card" aria-labelledby="domains-h"><h2 id="domains-h">Domains</h2>` +
    controls(tally, streamed) +
    `<div class="row thead"><span data-sort="domain">Domain</span><span data-sort="status">Status</span><span data-sort="profile">Profile</span>` +
    `<span data-sort="problems" class="num">Problems</span><span>Worst finding</span></div>\n<div id="list">\n`
  );
}

/** Between the domains in full and the one-line list. */
function linesHead(full: number, lines: number, problemLines: number): string {
  const title = problemLines === 0 ? `Passing (${lines})` : `One line each (${lines}: ${problemLines} more that need attention, then the passing ones)`;
  return (
    `</div>\n${full === 0 ? '<p class="more" id="nothing">No domain needs attention.</p>' : ''}` +
    `<h3 id="passing-h">${title}</h3><p class="more">Each line: the domain, its profile, ${problemLines === 0 ? '' : 'for one that needs attention its status, problem rules and worst finding, '}then what it publishes — the federation SRV and its target's addresses, XMPP, and the records its profile asks for.</p>\n<div id="passing">\n`
  );
}

function tail(report: RunReport): string {
  return (
    `</div>\n</section>\n</main>\n<footer>fedcheck ${text(report.tool.version)} · report schema ${text(report.schema)} · ` +
    `${report.summary.domains} domains: ${report.summary.fail} fail, ${report.summary.unknown} unknown, ${report.summary.warn} warn, ${report.summary.pass} pass</footer>\n` +
    `<script>${HTML_SCRIPT}</script>\n</body></html>\n`
  );
}

// ---------------------------------------------------------------------------
// Writing

/** Where a domain waits: its status in full, or its status as a line. */
type SpoolKey = DomainStatus | `${DomainStatus}-lines`;

/** Options of {@link HtmlWriter}. */
export interface HtmlWriterOptions {
  /** `--since`: the previous report to compare each domain with. */
  readonly previous?: ComparableReport;
  /** Where domains wait until the end (default: memory). */
  readonly spools?: SpoolFactory;
}

/**
 * The HTML report, streamed: `add` each domain as it finishes (it is rendered
 * at once and spooled), then `finish` with the report (its `domains` may be
 * empty) to write the page; `close` drops the spools if `finish` never ran.
 */
export class HtmlWriter {
  /** Spools by where they go: each status in full (pass: changed ones), and each status as lines. */
  private readonly spools = new Map<SpoolKey, { spool: Spool; count: number }>();
  private readonly fullCount = new Map<DomainStatus, number>();
  private readonly tracker: ChangeTracker | undefined;
  private readonly tally: Tally = { rules: new Map(), profiles: new Map(), changes: [], changed: 0 };
  private seq = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: HtmlWriterOptions = {},
  ) {
    this.tracker = options.previous === undefined ? undefined : new ChangeTracker(options.previous);
  }

  /** Render one finished domain (its changes found against `previous`, when given). */
  add(domain: DomainResult): void {
    this.addWithChanges(domain, this.tracker?.add(domain));
  }

  /** Render one domain whose changes are known already (a whole report's, split by domain). */
  addWithChanges(domain: DomainResult, changes: DomainChanges | undefined): void {
    this.seq += 1;
    const seq = this.seq;
    const full = this.fullCount.get(domain.status) ?? 0;
    const line = (domain.status === 'pass' && (changes === undefined || isUnchanged(changes))) || full >= FULL_PER_STATUS;
    const entry = this.spool(line ? `${domain.status}-lines` : domain.status);
    if (line) {
      // Each line spool is its own run of chunks.
      if (entry.count % LINES_PER_CHUNK === 0) entry.spool.write(`${entry.count === 0 ? '' : '</ol>\n'}<ol class="ck">\n`);
      entry.spool.write(renderLine(domain, changes));
    } else {
      this.fullCount.set(domain.status, full + 1);
      entry.spool.write(renderDomain(domain, seq, changes));
    }
    entry.count += 1;
    this.count(domain, seq, changes);
  }

  private spool(key: SpoolKey): { spool: Spool; count: number } {
    let entry = this.spools.get(key);
    if (entry === undefined) this.spools.set(key, (entry = { spool: (this.options.spools ?? memorySpools)(), count: 0 }));
    return entry;
  }

  private count(domain: DomainResult, seq: number, changes: DomainChanges | undefined): void {
    const profile = profileText(domain);
    this.tally.profiles.set(profile, (this.tally.profiles.get(profile) ?? 0) + 1);
    const worst = new Map<RuleId, Status>();
    for (const f of domain.findings) {
      if (!isProblem(f)) continue;
      const before = worst.get(f.rule);
      if (before === undefined || STATUS_SEVERITY[f.status] > STATUS_SEVERITY[before]) worst.set(f.rule, f.status);
    }
    for (const [rule, status] of worst) {
      let r = this.tally.rules.get(rule);
      if (r === undefined) this.tally.rules.set(rule, (r = { domains: 0, worst: status, examples: [] }));
      r.domains += 1;
      if (STATUS_SEVERITY[status] > STATUS_SEVERITY[r.worst]) {
        r.worst = status;
        r.examples = [];
      }
      if (status === r.worst && r.examples.length < EXAMPLES) r.examples.push([seq, domain.domain]);
    }
    if (changes !== undefined && (changes.status !== null || changes.rules.length > 0 || changes.records.length > 0)) {
      this.tally.changed += 1;
      if (this.tally.changes.length < CHANGES_LISTED) {
        const counted = (n: number, one: string): string => (n === 0 ? '' : `${n} ${one}${n === 1 ? '' : 's'}`);
        const parts = [changes.status === null ? '' : domainChangeText(changes.status), counted(changes.rules.length, 'rule change'), counted(changes.records.length, 'record change')];
        this.tally.changes.push([seq, domain.domain, parts.filter((p) => p !== '').join(', ')]);
      }
    }
  }

  /** Write the page: head, summary, the spooled domains worst first, script. */
  finish(report: RunReport, given?: StreamedChanges): void {
    const streamed = given ?? this.tracker?.finish();
    this.write(page(report, this.tally, streamed));
    for (const status of STATUS_ORDER) this.spools.get(status)?.spool.drain(this.write);
    const count = (key: SpoolKey): number => this.spools.get(key)?.count ?? 0;
    const problemLines = count('fail-lines') + count('unknown-lines') + count('warn-lines');
    this.write(linesHead(STATUS_ORDER.reduce((n, s) => n + count(s), 0), problemLines + count('pass-lines'), problemLines));
    for (const status of STATUS_ORDER) {
      const entry = this.spools.get(`${status}-lines`);
      if (entry === undefined) continue;
      entry.spool.drain(this.write);
      this.write('</ol>\n');
    }
    this.spools.clear();
    this.write(tail(report));
  }

  /** Drop what is spooled (after a failure); safe after `finish`. */
  close(): void {
    for (const entry of this.spools.values()) entry.spool.dispose();
    this.spools.clear();
  }
}

/** The whole report as one HTML page (with its `changes`, if any). Pure. */
export function renderHtml(report: RunReport): string {
  const parts: string[] = [];
  const writer = new HtmlWriter((t) => void parts.push(t));
  const split = report.changes === undefined ? undefined : splitChanges(report.changes);
  for (const domain of report.domains) writer.addWithChanges(domain, split?.perDomain(domain.domain));
  writer.finish(report, split?.streamed);
  return parts.join('');
}
