/**
 * `fedcheck plan`: the records a profile calls for (src/rules/profiles/profiles.ts),
 * filled in for given SIP domains, as an RFC 1035 master-file snippet. Each
 * record is preceded by a comment naming the rules it satisfies, so the
 * output goes from a red report to the fix; loading it as a zone makes those
 * rules pass (a test proves the round trip).
 */
import { parseDomainName } from '../input/domain-name.js';
import { quoteInput } from '../escape.js';
import { ipFamily } from '../dns/ip-text.js';
import { foldCase } from '../dns/name-text.js';
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { certificateLines } from './plan-certificate.js';
import { readPlanCertificate, tlsaLines, type PlanTlsa } from './plan-tlsa.js';
import type { RuleId } from '../rules/catalogue.js';
import {
  CLOUD_NAMES,
  CLOUDS,
  DEFAULT_CLOUD,
  DEFAULT_PROFILE,
  PROFILES,
  cloudName,
  profileName,
  type CloudName,
  type ConcreteProfileName,
  type ProfileRecord,
} from '../rules/profiles/profiles.js';

/** TTL of every planned record: Microsoft's tables say one hour. */
export const PLAN_TTL = 3600;

/** What a plan is for. */
export interface PlanOptions {
  readonly profile: ConcreteProfileName;
  /** For `online`: whose values. */
  readonly cloud: CloudName;
  /**
   * The Access Edge FQDN (A-label, no trailing dot), or a single label
   * relative to each SIP domain; absent means `sip`, the documented name.
   */
  readonly edge?: string;
  /** The Access Edge's public addresses (IPv4 → A, IPv6 → AAAA). */
  readonly addresses: readonly string[];
  /** The reverse proxy's public addresses, for lyncdiscover (and meet / dial-in). */
  readonly proxy: readonly string[];
  /** `--tlsa CERT.pem`: print `3 1 1` TLSA records for the planned SRV targets. */
  readonly tlsa?: PlanTlsa;
}

/** One planned record; `active: false` is printed commented out, with `why`. */
export interface PlannedRecord {
  /** Absolute owner name, with trailing dot. */
  readonly owner: string;
  readonly type: 'SRV' | 'A' | 'AAAA' | 'CNAME';
  readonly data: string;
  readonly rules: readonly RuleId[];
  readonly note: string;
  readonly source: string;
  readonly active: boolean;
  readonly why?: string;
  /** False when the owner lies outside the SIP domain (it belongs in another zone). */
  readonly inDomain: boolean;
}

const abs = (name: string): string => (name.endsWith('.') ? name : `${name}.`);
const inside = (name: string, domain: string): boolean => name === domain || name.endsWith(`.${domain}`);

/** The Access Edge FQDN for `domain`: the given FQDN, a single label under the domain, or sip.D. */
export function edgeFor(domain: string, edge: string | undefined): string {
  if (edge === undefined) return `sip.${domain}`;
  return edge.includes('.') ? edge : `${edge}.${domain}`;
}

/** The records of `options.profile` for one SIP domain, placeholders filled in. */
export function planRecords(domain: string, options: PlanOptions): PlannedRecord[] {
  const profile = PROFILES[options.profile];
  const cloud = CLOUDS[options.cloud];
  const edge = edgeFor(domain, options.edge);
  const selected = new Set<RuleId>(profile.rules);
  const out: PlannedRecord[] = [];
  for (const template of profile.records(cloud)) {
    const rules = template.rules.filter((r) => selected.has(r));
    const owner = template.owner === '<edge>' ? edge : template.owner === '@' ? domain : `${template.owner}.${domain}`;
    const base = { owner: abs(owner), rules, note: template.note, source: template.source.document, inDomain: inside(owner, domain) };
    const optional = template.need === 'optional' ? { active: false, why: 'optional' } : { active: true };
    for (const filled of fill(template, { edge, options, cloud })) {
      out.push({ ...base, type: filled.type, data: filled.data, ...(filled.missing !== undefined ? { active: false, why: filled.missing } : optional) });
    }
  }
  return out;
}

interface Filled {
  readonly type: PlannedRecord['type'];
  readonly data: string;
  /** Set when a value was not given: the record is printed as a template. */
  readonly missing?: string;
}

function fill(template: ProfileRecord, ctx: { edge: string; options: PlanOptions; cloud: (typeof CLOUDS)[CloudName] }): Filled[] {
  const names = (text: string): string =>
    text
      .replace('<edge>', abs(ctx.edge))
      .replace('<sipdir>', abs(ctx.cloud.sipdir))
      .replace('<sipfed>', abs(ctx.cloud.sipfed))
      .replace('<webdir>', abs(ctx.cloud.webdir));
  const addresses = (list: readonly string[], placeholder: string, option: string): Filled[] =>
    list.length === 0
      ? [{ type: 'A', data: placeholder, missing: `give ${option}` }]
      : list.map((address) => ({ type: ipFamily(address) === 6 ? 'AAAA' : 'A', data: address }));
  switch (template.data) {
    case '<address>':
      return addresses(ctx.options.addresses, '<Access Edge public IPv4>', '--address');
    case '<proxy>':
      return addresses(ctx.options.proxy, '<reverse proxy public IPv4>', '--proxy');
    case '<webcon>':
      return [{ type: 'A', data: '<Web Conferencing Edge public IPv4>', missing: 'optional' }];
    case '<av>':
      return [{ type: 'A', data: '<A/V Edge public IPv4>', missing: 'optional' }];
    default:
      return [{ type: template.type, data: names(template.data) }];
  }
}

/** The plan for every domain, as a master-file snippet (owner names absolute, so it pastes into any zone). */
export function renderPlan(domains: readonly string[], options: PlanOptions): string {
  const profile = PROFILES[options.profile];
  const lines: string[] = [
    `; fedcheck plan: profile ${profile.name} (${profile.title})${options.profile === 'online' ? `, cloud ${options.cloud} (${CLOUDS[options.cloud].title})` : ''}`,
    '; Each record is preceded by the fedcheck rules it satisfies (fedcheck explain RULE) and the document that calls for it.',
    '; Commented-out records are optional, or need a value you did not give (the comment says which).',
  ];
  const outside = new Map<string, PlannedRecord>();
  const printed = new Set<string>();
  const key = (r: PlannedRecord): string => `${r.owner} ${r.type} ${r.data}`;
  for (const domain of domains) {
    lines.push('', `; --- ${domain} ${'-'.repeat(Math.max(3, 66 - domain.length))}`);
    const edge = edgeFor(domain, options.edge);
    if (options.profile !== 'online' && !inside(edge, domain)) {
      lines.push(
        `; note: the Access Edge ${edge} lies outside ${domain}: clients and partners with strict DNS name matching`,
        `; refuse it (sip-tls-target, sipfed-target-domain warn); --edge sip names sip.<domain> in each domain.`,
      );
    }
    for (const record of planRecords(domain, options)) {
      if (!record.inDomain) {
        outside.set(key(record), record);
        continue;
      }
      printed.add(key(record));
      lines.push(...recordLines(record));
    }
  }
  // A record already printed in its own SIP domain's section (e.g. sip.contoso.com) is not repeated.
  for (const k of printed) outside.delete(k);
  if (outside.size > 0) {
    lines.push('', '; --- outside the SIP domains: these belong in the zone of their own name ----------');
    for (const record of outside.values()) lines.push(...recordLines(record));
  }
  lines.push(...certificateLines(domains, options.profile, (d) => planRecords(d, options), (d) => edgeFor(d, options.edge)));
  if (options.tlsa !== undefined) lines.push(...tlsaLines(domains.flatMap((d) => planRecords(d, options)), options.tlsa, PLAN_TTL));
  return `${lines.join('\n')}\n`;
}

function recordLines(record: PlannedRecord): string[] {
  const rules = record.rules.length > 0 ? `${record.rules.join(', ')}: ` : '';
  const comment = `; ${rules}${record.note} [${record.source}]`;
  const text = `${record.owner.padEnd(40)} ${PLAN_TTL} IN ${record.type.padEnd(5)} ${record.data}`;
  if (record.active) return [comment, text];
  const why = record.why === 'optional' ? 'optional' : record.why ?? 'inactive';
  return [`${comment} (${why})`, `; ${text}`];
}

/** `fedcheck plan` arguments as given on the command line. */
export interface PlanArguments {
  readonly profile?: string;
  readonly cloud?: string;
  readonly edge?: string;
  readonly address: readonly string[];
  readonly proxy: readonly string[];
  /** A PEM certificate file whose `3 1 1` TLSA records to print. */
  readonly tlsa?: string;
}

/**
 * Validate `fedcheck plan` arguments and render the plan. Throws
 * {@link ExitError} (`EXIT.usage`, 64) for a bad domain, FQDN, address or profile; for
 * `--tlsa`, 66 when the file cannot be read and 65 when it holds no certificate.
 */
export function planFromArguments(domainArgs: readonly string[], args: PlanArguments): string {
  if (domainArgs.length === 0) throw new ExitError('plan: name at least one SIP domain', EXIT.usage);
  const domains = domainArgs.map((arg) => {
    const parsed = parseDomainName(arg);
    if (!parsed.ok) throw new ExitError(`plan: ${parsed.error}`, EXIT.usage);
    return parsed.value;
  });
  const profile = profileName(args.profile ?? DEFAULT_PROFILE);
  if (profile === undefined) throw new ExitError(`plan: unknown profile ${quoteInput(args.profile ?? '')}; \`fedcheck profiles\` lists them`, EXIT.usage);
  if (profile === 'auto') throw new ExitError('plan: auto decides from published records; name the profile to plan for (federation, edge, sfb2019-edge, online)', EXIT.usage);
  const cloud = cloudName(args.cloud ?? DEFAULT_CLOUD);
  if (cloud === undefined) throw new ExitError(`plan: unknown cloud ${quoteInput(args.cloud ?? '')} (${CLOUD_NAMES.join(', ')})`, EXIT.usage);
  if (args.tlsa !== undefined && profile === 'online') throw new ExitError("plan: --tlsa: an online plan's SRV targets are Microsoft's, whose certificate is not yours to pin", EXIT.usage);
  let edge: string | undefined;
  if (args.edge !== undefined) {
    // A single label (e.g. "sip") names a host under each SIP domain.
    const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(args.edge) && args.edge.length <= 63;
    const parsed = label ? ({ ok: true, value: foldCase(args.edge) } as const) : parseDomainName(args.edge);
    if (!parsed.ok) throw new ExitError(`plan: --edge: ${parsed.error}`, EXIT.usage);
    edge = parsed.value;
  }
  const ip = (option: string) => (text: string): string => {
    if (ipFamily(text) === 0) throw new ExitError(`plan: ${option} ${quoteInput(text)} is not an IPv4 or IPv6 address`, EXIT.usage);
    return text;
  };
  return renderPlan(domains, {
    profile,
    cloud,
    ...(edge !== undefined ? { edge } : {}),
    addresses: args.address.map(ip('--address')),
    proxy: args.proxy.map(ip('--proxy')),
    ...(args.tlsa !== undefined ? { tlsa: readPlanCertificate(args.tlsa) } : {}),
  });
}
