/**
 * The DANE family's English: one template per message code, from the
 * finding's facts alone (src/rules/messages.ts), and the sentence a name or
 * expiry finding gains when a DANE-EE record overrides it (RFC 7671 §5.1).
 */
import { nameKey } from '../../dns/name-text.js';
import type { DnssecState } from '../../lookup/dnssec.js';
import { count, host, inflect, speaker, type LookupFact } from '../messages.js';
import type { FindingFacts } from '../types.js';

/**
 * What every dane-tlsa finding carries: the service, its SRV owner, the SRV target and port, the
 * TLSA owner `_<port>._tcp.<base domain>` and its base domain (the target, or its securely
 * CNAME-expanded name when the records were found there: RFC 7671 §7).
 */
export type TlsaFacts = { readonly service: string; readonly owner: string; readonly target: string; readonly port: number; readonly tlsaOwner: string; readonly baseDomain: string };

/**
 * One TLSA record as the findings carry it: presentation form (`3 1 1
 * <hex>`, data in full), RFC 7218 mnemonic, whether it is usable (RFC 6698
 * §4.1), and why it was set aside or did not match (null for a match).
 */
export type TlsaRecordFact = {
  readonly record: string;
  readonly mnemonic: string;
  readonly usable: boolean;
  readonly reason: string | null;
  /** Ignored by digest algorithm agility (RFC 7671 §9): the stronger matching type of its usage and selector in the set, else null. */
  readonly supersededBy: string | null;
};

/**
 * The finding of one address whose handshake completed: the DNSSEC state of
 * the SRV, target address and TLSA answers (RFC 7673 §3), the records and
 * how each fared, the first record that matched (null for none) with its
 * usage's mnemonic, the certificate it matched (its depth in the chain as
 * sent, 0 the leaf, -1 an anchor not sent; its subject), whether a DANE-EE
 * record matched, and the rules it overrides for this address (RFC 7671
 * §5.1; set by src/rules/dane/override.ts).
 */
export type AddressFacts = TlsaFacts & {
  /** The SNI of the handshake judged: the base domain when DANE partners send another than the target's own (RFC 7671 §7). */
  readonly serverName: string;
  /** The reference identifiers usages 0–2 need the certificate to name, the base domain first (null: left to the name rules, as for XMPP). */
  readonly names: readonly string[] | null;
  /** The one of `names` the certificate of the matching record names (null for none, DANE-EE, or no names checked). */
  readonly matchedName: string | null;
  /** The handshake judged sent the same leaf as the target's own SNI got (false: the server chose another by SNI, so nothing is overridden). */
  readonly sameLeaf: boolean;
  readonly address: string;
  readonly srvSecurity: DnssecState;
  readonly addressSecurity: DnssecState;
  readonly tlsaSecurity: DnssecState;
  readonly records: readonly TlsaRecordFact[];
  readonly usable: number;
  readonly matched: string | null;
  readonly usage: string | null;
  readonly matchedDepth: number | null;
  readonly matchedSubject: string | null;
  readonly daneEe: boolean;
  readonly overrides?: readonly string[];
};

/** A lookup of the TLSA owner that gave no records to judge. */
type LookupFacts = TlsaFacts & { readonly lookup: LookupFact };

/** A record in presentation form, long data cut for a message: `3 1 1 0a1b2c3d4e5f6a7b…`. */
export function shortRecord(record: string): string {
  const parts = record.split(' ');
  const data = parts[3] ?? '';
  return data.length <= 24 ? record : `${parts.slice(0, 3).join(' ')} ${data.slice(0, 16)}…`;
}

const unusableNote = (f: AddressFacts): string => {
  const unusable = f.records.filter((r) => !r.usable);
  return unusable.length > 0 ? ` Set aside as unusable (RFC 6698 §4.1): ${unusable.map((r) => `${shortRecord(r.record)}: ${r.reason ?? 'unusable'}`).join('; ')}.` : '';
};

/** What is not secure among the answers DANE depends on (RFC 7673 §3). */
const notSecure = (f: AddressFacts): string =>
  [
    f.srvSecurity !== 'secure' ? `the SRV answer (${f.owner}) is ${f.srvSecurity}` : '',
    f.addressSecurity !== 'secure' ? `the target's address answers are ${f.addressSecurity}` : '',
    f.tlsaSecurity !== 'secure' ? `the TLSA answer is ${f.tlsaSecurity}` : '',
  ]
    .filter((s) => s !== '')
    .join(', ');

const records = (f: AddressFacts): string => `${count(f.records.length, 'TLSA record')} at ${f.tlsaOwner}`;
const mnemonicOf = (f: AddressFacts, record: string): string => f.records.find((r) => r.record === record)?.mnemonic ?? '';

/** What the records would say were they secure. */
function wouldText(f: AddressFacts): string {
  const they = inflect(f.records.length, 'it', 'they');
  if (f.matched !== null) return `${they} would match (${shortRecord(f.matched)}, ${mnemonicOf(f, f.matched)})`;
  return f.usable > 0 ? `${they} would not match its certificate either` : `none of ${inflect(f.records.length, 'it', 'them')} is usable anyway`;
}

/** The sentence an expanded TLSA base domain adds (RFC 7671 §7): which name was sent and checked. */
const baseNote = (f: TlsaFacts & { readonly serverName: string; readonly matchedName?: string | null }): string => {
  if (nameKey(f.baseDomain) === nameKey(f.target)) return '';
  const named = f.matchedName !== undefined && f.matchedName !== null ? `; the certificate names ${f.matchedName}` : '';
  return ` The TLSA base domain is ${f.baseDomain}, the securely CNAME-expanded name of ${f.target} (RFC 7671 §7): sent as SNI (${f.serverName}) and taken as the certificate's primary name${named}.`;
};

/** Records that digest algorithm agility set aside although they match (RFC 7671 §9): a stronger record of theirs is wrong. */
const agilityNote = (f: AddressFacts): string => {
  const ignored = f.records.filter((r) => r.supersededBy !== null);
  return ignored.length > 0
    ? ` Ignored beside a stronger digest of the same usage and selector (RFC 7671 §9): ${ignored.map((r) => `${shortRecord(r.record)} (for ${r.supersededBy ?? '?'})`).join(', ')}.`
    : '';
};

/** The certificate a record matched. */
function matchedText(f: AddressFacts): string {
  if (f.matchedDepth === 0) return `the certificate of ${host(f)}`;
  const subject = f.matchedSubject ?? '?';
  if (f.matchedDepth === -1) return `the trust anchor "${subject}" (${f.usage === 'PKIX-TA' ? 'from the trust store, not sent' : "the record's own certificate, not sent"}) of the chain ${host(f)} sends`;
  return `"${subject}" in the chain ${host(f)} sends`;
}

/** The DANE family's templates, by message code (codes are unique across families: src/rules/catalogue.ts renderMessage). */
export const DANE_MESSAGES = {
  // the TLSA lookup itself
  'tlsa-lookup-bogus': (f: LookupFacts & { readonly outcome: 'bogus'; readonly tlsaSecurity: 'bogus'; readonly resolver: string | null }) =>
    `The TLSA answer for ${f.tlsaOwner} is bogus: ${f.lookup.detail}. DANE partners behind a validating resolver must not connect to ${f.target} (RFC 6698 §4.1).`,
  'tlsa-lookup-unknown': (f: LookupFacts & { readonly outcome: 'error' | 'referral' }) =>
    `Could not tell whether ${f.target} publishes TLSA records: the lookup of ${f.tlsaOwner} failed (${f.lookup.detail}).`,
  // each address whose handshake completed
  'tlsa-bogus': (f: AddressFacts) => `The TLSA answer for ${f.tlsaOwner} is bogus (DNSSEC validation failed): DANE partners must not connect to ${host(f)}.${unusableNote(f)}`,
  'tlsa-not-secure': (f: AddressFacts) =>
    `${host(f)} has ${records(f)}, but ${notSecure(f)}: the records cannot be trusted and DANE partners ignore them (RFC 7673 §3); ${wouldText(f)}.${unusableNote(f)}`,
  'tlsa-none-usable': (f: AddressFacts) => `${host(f)} has ${records(f)}, secure, but none is usable: partners treat it as having no TLSA records (RFC 6698 §4.1).${unusableNote(f)}`,
  'tlsa-match': (f: AddressFacts & { readonly matched: string }) => {
    const ee = f.usage === 'DANE-EE' ? ' (DANE-EE: names and validity dates do not matter to DANE partners, RFC 7671 §5.1)' : '';
    const overrides = f.overrides !== undefined ? ` It overrides ${f.overrides.join(', ')} for this address.` : '';
    return `The secure TLSA record ${shortRecord(f.matched)} (${mnemonicOf(f, f.matched)}) at ${f.tlsaOwner} matches ${matchedText(f)}${ee}.${baseNote(f)}${agilityNote(f)}${unusableNote(f)}${overrides}`;
  },
  'tlsa-no-match': (f: AddressFacts) => {
    const reasons = f.records.filter((r) => r.usable).map((r) => `${shortRecord(r.record)} (${r.mnemonic}): ${r.reason ?? 'no match'}`);
    return `None of the ${count(f.usable, 'usable secure TLSA record')} at ${f.tlsaOwner} matches what ${host(f)} sends: ${reasons.join('; ')}. DANE partners refuse the connection.${baseNote(f)}${unusableNote(f)}`;
  },
  'tlsa-sni-failed': (f: TlsaFacts & { readonly address: string; readonly serverName: string; readonly failure: string; readonly reason: string }) =>
    `${host(f)} completes TLS with its own name as SNI, but not with ${f.serverName}, the TLSA base domain DANE partners send (the securely CNAME-expanded name of ${f.target}, RFC 7671 §7): ${f.reason}.`,
};

/** A finding of the DANE family's templates. */
export const say = speaker(DANE_MESSAGES);

/**
 * The facts a name or expiry finding gains when a matching DANE-EE record
 * overrides it (src/rules/dane/override.ts): who overrode it, the status it
 * had, and the record (presentation form, data in full).
 */
export type OverrideFacts = { readonly overriddenBy: 'dane-tlsa'; readonly overriddenStatus: 'fail' | 'warn'; readonly overriddenRecord: string };

/** The override's sentence, from its facts. */
const overrideText = (f: OverrideFacts): string =>
  `Overridden (was ${f.overriddenStatus}): the secure DANE-EE record ${shortRecord(f.overriddenRecord)} matches this certificate, so DANE partners ignore its names and dates (RFC 7671 §5.1); partners that use PKIX alone still see it.`;

/**
 * The sentence an overridden finding's message ends with, after its own
 * code's template (src/rules/catalogue.ts renderMessage), from the override
 * facts alone; undefined for a finding nothing overrode.
 */
export function overrideNote(facts: FindingFacts): string | undefined {
  const { overriddenBy, overriddenStatus, overriddenRecord } = facts;
  if (overriddenBy !== 'dane-tlsa' || (overriddenStatus !== 'fail' && overriddenStatus !== 'warn') || typeof overriddenRecord !== 'string') return undefined;
  return overrideText({ overriddenBy, overriddenStatus, overriddenRecord });
}
