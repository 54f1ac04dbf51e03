/**
 * DANE: TLSA records (RFC 6698) matched against the chain a server sent,
 * with the operational rules of RFC 7671. Pure: certificates in, verdicts
 * out; no lookups, no clock.
 *
 * - Usages: 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 6698 §2.1.1).
 * - Selectors: 0 the whole certificate, 1 its SubjectPublicKeyInfo (§2.1.2).
 * - Matching types: 0 the selected content itself, 1 SHA-256, 2 SHA-512 (§2.1.3).
 *
 * A record with an unknown usage, selector or matching type, or association
 * data of the wrong length for its matching type, is unusable: it is set
 * aside (RFC 6698 §4.1; RFC 7671 §4.1) and reported with the reason.
 *
 * Digest algorithm agility (RFC 7671 §9): after the unusable records are set
 * aside, only the Full(0) records and the records of the strongest digest
 * present are considered, per usage and selector; a weaker digest's record is
 * ignored even when it would match, so that it cannot be a downgrade.
 *
 * Names (RFC 7671 §7, §10.2): a record of a usage other than DANE-EE counts
 * only when the certificate also names one of the reference identifiers the
 * caller gives: the TLSA base domain first (the securely CNAME-expanded name
 * when the records were found there), then the name the client was given.
 */
import { createHash, X509Certificate } from 'node:crypto';

/** One TLSA record's RDATA (RFC 6698 §2.1); `data` is hex (either case). */
export interface TlsaData {
  readonly usage: number;
  readonly selector: number;
  readonly matchingType: number;
  readonly data: string;
}

/** The acronyms of RFC 7218 for the usages, selectors and matching types. */
export const USAGE_NAMES: Readonly<Record<number, string>> = { 0: 'PKIX-TA', 1: 'PKIX-EE', 2: 'DANE-TA', 3: 'DANE-EE' };
export const SELECTOR_NAMES: Readonly<Record<number, string>> = { 0: 'Cert', 1: 'SPKI' };
export const MATCHING_NAMES: Readonly<Record<number, string>> = { 0: 'Full', 1: 'SHA2-256', 2: 'SHA2-512' };

/** Octets of the association data for the digest matching types. */
const DIGEST_LENGTH: Readonly<Record<number, number>> = { 1: 32, 2: 64 };

/** What the server sent, and what PKIX validation (src/probe/certificate.ts) made of it. */
export interface DaneChain {
  /** The certificates as sent, leaf first, DER. */
  readonly sent: readonly Uint8Array[];
  /** The validated PKIX path, leaf first, ending at the trust anchor (which may not have been sent); empty or partial when validation failed. */
  readonly path: readonly Uint8Array[];
  /** PKIX validation succeeded (trusted anchor, signatures, validity). */
  readonly pkixValid: boolean;
  /**
   * The reference identifiers a match of usage 0, 1 or 2 needs the leaf to name (subjectAltName
   * dNSName, RFC 9525 rules, never the subject CN), the TLSA base domain first (RFC 7671 §7: the
   * primary one; §10.2). Absent: names are left to the caller (no name check here).
   */
  readonly names?: readonly string[];
}

/** One record and what became of it. */
export interface TlsaRecordResult extends TlsaData {
  /** The record's RFC 7218 mnemonic, e.g. `DANE-EE SPKI SHA2-256` (numbers for unknown values). */
  readonly mnemonic: string;
  readonly usable: boolean;
  /** Why an unusable record was set aside, or why a usable one did not match. */
  readonly reason?: string;
  readonly matched: boolean;
  /** For a match: the matched certificate's place in the chain as sent (0 = leaf), or -1 for a trust anchor that was not sent. */
  readonly depth?: number;
  /** For a match: the matched certificate's subject. */
  readonly subject?: string;
  /**
   * Ignored by digest algorithm agility (RFC 7671 §9): the stronger matching type of the same
   * usage and selector (e.g. `SHA2-512`) that the set also holds; the record counts for nothing.
   */
  readonly supersededBy?: string;
  /** For a record ignored by agility: whether it would have matched (a stale or wrong stronger record is then the fault). */
  readonly wouldMatch?: boolean;
  /** For a record of usage 0–2 that matched the chain: the reference identifier the leaf names, if any (none: the record does not count). */
  readonly name?: string;
}

/** The verdict of a TLSA RRset on one chain. */
export interface DaneMatch {
  readonly records: readonly TlsaRecordResult[];
  /** Records usable at all (RFC 6698 §4.1: none usable is as if there were no TLSA records). */
  readonly usable: number;
  /** The first matching record, if any. */
  readonly match?: TlsaRecordResult;
  /** A DANE-EE record matched: names and validity dates do not matter (RFC 7671 §5.1). */
  readonly daneEe: boolean;
  /** The reference identifiers checked for usages 0–2 ({@link DaneChain.names}), when given. */
  readonly names?: readonly string[];
}

/** Digest matching types by strength, strongest first (RFC 7671 §9: the client's own order). */
const DIGEST_STRENGTH: readonly number[] = [2, 1];

/**
 * RFC 7671 §9: the strongest digest matching type among the usable records of
 * each usage and selector, keyed `usage selector`; Full(0) is no digest and
 * is always considered.
 */
function strongestDigests(records: readonly TlsaData[]): Map<string, number> {
  const strongest = new Map<string, number>();
  for (const r of records) {
    if (r.matchingType === 0 || unusableReason(r) !== undefined) continue;
    const key = `${r.usage} ${r.selector}`;
    const known = strongest.get(key);
    if (known === undefined || DIGEST_STRENGTH.indexOf(r.matchingType) < DIGEST_STRENGTH.indexOf(known)) strongest.set(key, r.matchingType);
  }
  return strongest;
}

/** RFC 9525 §6.3 matching (dNSName only, a wildcard as the whole left-most label): the first reference identifier the certificate names. */
function namedReference(cert: X509Certificate, names: readonly string[]): string | undefined {
  return names.find((n) => cert.checkHost(n.replace(/\.$/, ''), { subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false }) !== undefined);
}

/** The record's mnemonic (RFC 7218 §2). */
export function tlsaMnemonic(record: Pick<TlsaData, 'usage' | 'selector' | 'matchingType'>): string {
  return `${USAGE_NAMES[record.usage] ?? String(record.usage)} ${SELECTOR_NAMES[record.selector] ?? String(record.selector)} ${MATCHING_NAMES[record.matchingType] ?? String(record.matchingType)}`;
}

/** Why a record cannot be used, or undefined when it can. */
export function unusableReason(record: TlsaData): string | undefined {
  if (!(record.usage in USAGE_NAMES)) return `unknown certificate usage ${record.usage}`;
  if (!(record.selector in SELECTOR_NAMES)) return `unknown selector ${record.selector}`;
  if (!(record.matchingType in MATCHING_NAMES)) return `unknown matching type ${record.matchingType}`;
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(record.data)) return 'the association data is not hex';
  const octets = record.data.length / 2;
  const wanted = DIGEST_LENGTH[record.matchingType];
  if (wanted !== undefined && octets !== wanted) return `${MATCHING_NAMES[record.matchingType]} data of ${octets} octets instead of ${wanted}`;
  if (octets === 0) return 'no association data';
  return undefined;
}

/** A certificate parsed once, with the two selections of RFC 6698 §2.1.2. */
interface Parsed {
  readonly cert: X509Certificate;
  readonly full: Buffer;
  readonly spki: Buffer;
}

function parse(der: Uint8Array): Parsed | undefined {
  try {
    const cert = new X509Certificate(der);
    const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
    return { cert, full: Buffer.from(der), spki };
  } catch {
    return undefined;
  }
}

/** The selected content of `cert`, through the matching type, as lower-case hex. */
export function associationData(cert: { readonly full: Buffer; readonly spki: Buffer }, selector: number, matchingType: number): string {
  const content = selector === 0 ? cert.full : cert.spki;
  if (matchingType === 1) return createHash('sha256').update(content).digest('hex');
  if (matchingType === 2) return createHash('sha512').update(content).digest('hex');
  return content.toString('hex');
}

const oneLine = (name: string): string => name.replace(/\n/g, ', ');

/** Whether `issuer` issued `cert` (name and signature). */
function issued(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.issuer === issuer.subject && cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

/**
 * The certificates above the leaf that the chain as sent leads through, by
 * name and signature, leaf's issuer first: where a DANE-TA trust anchor must
 * be (RFC 7671 §5.2).
 */
function issuerPath(sent: readonly Parsed[]): { readonly cert: Parsed; readonly depth: number }[] {
  const out: { cert: Parsed; depth: number }[] = [];
  let current = sent[0];
  const used = new Set<number>([0]);
  while (current !== undefined && out.length < 16) {
    const cur: Parsed = current;
    const next = sent.findIndex((c, i) => !used.has(i) && issued(cur.cert, c.cert));
    if (next < 0) break;
    used.add(next);
    out.push({ cert: sent[next]!, depth: next });
    current = sent[next];
  }
  return out;
}

/**
 * Match a TLSA RRset against the chain the server sent.
 *
 * - PKIX-EE (1): the leaf matches, and PKIX validation succeeded.
 * - PKIX-TA (0): a CA certificate on the validated PKIX path (the anchor included) matches, and validation succeeded.
 * - DANE-TA (2): a certificate the leaf chains to through the chain as sent matches (RFC 7671 §5.2: the server
 *   must send it); a full certificate (selector 0, matching type 0) may also be the trust anchor itself when the
 *   chain as sent is issued by it (RFC 7671 §5.2.2). The PKIX roots are not consulted.
 * - DANE-EE (3): the leaf matches; nothing else is checked (RFC 7671 §5.1).
 *
 * Usages 0–2 also need the leaf to name one of `chain.names`, when given (RFC 7671 §7, §10.2); and
 * a record whose digest is weaker than another of its usage and selector is ignored (RFC 7671 §9).
 */
export function matchTlsa(records: readonly TlsaData[], chain: DaneChain): DaneMatch {
  const sent = chain.sent.map(parse);
  const leaf = sent[0];
  const sentParsed = sent.filter((c): c is Parsed => c !== undefined);
  const above = leaf !== undefined && sent.every((c) => c !== undefined) ? issuerPath(sentParsed) : [];
  const path = chain.path.map(parse);
  const strongest = strongestDigests(records);
  // The leaf's names against the reference identifiers, once: the same for every record of usage 0-2.
  const named = leaf !== undefined && chain.names !== undefined ? namedReference(leaf.cert, chain.names) : undefined;
  const judge = (record: TlsaData, base: Omit<TlsaRecordResult, 'usable' | 'matched'>): TlsaRecordResult => {
    if (leaf === undefined) return { ...base, usable: true, matched: false, reason: 'the server sent no certificate that could be read' };
    const wanted = base.data;
    const matches = (c: Parsed): boolean => associationData(c, record.selector, record.matchingType) === wanted;
    const hit = (c: Parsed, depth: number): TlsaRecordResult => ({ ...base, usable: true, matched: true, depth, subject: oneLine(c.cert.subject) });
    switch (record.usage) {
      case 3:
        return matches(leaf) ? hit(leaf, 0) : { ...base, usable: true, matched: false, reason: "it does not match the server's certificate" };
      case 1:
        if (!matches(leaf)) return { ...base, usable: true, matched: false, reason: "it does not match the server's certificate" };
        return chain.pkixValid ? hit(leaf, 0) : { ...base, usable: true, matched: false, reason: 'it matches the certificate, but PKIX-EE also needs the chain to validate to a trusted root, and it does not' };
      case 0: {
        const index = path.findIndex((c, i) => i > 0 && c !== undefined && matches(c));
        if (index < 0) return { ...base, usable: true, matched: false, reason: 'it matches no CA certificate on the PKIX path' };
        const anchor = path[index]!;
        if (!chain.pkixValid) return { ...base, usable: true, matched: false, reason: 'it matches a CA on the path, but PKIX-TA also needs the chain to validate to a trusted root, and it does not' };
        const depth = chain.sent.findIndex((d) => Buffer.from(d).equals(anchor.full));
        return hit(anchor, depth);
      }
      case 2: {
        const found = above.find((a) => matches(a.cert));
        if (found !== undefined) return hit(found.cert, found.depth);
        if (record.selector === 0 && record.matchingType === 0) {
          // The record is the trust anchor's certificate itself: the chain need not carry it (RFC 7671 §5.2.2).
          const anchor = parse(Buffer.from(wanted, 'hex'));
          const top = above.length > 0 ? above[above.length - 1]!.cert : leaf;
          if (anchor !== undefined && issued(top.cert, anchor.cert)) return hit(anchor, -1);
        }
        return { ...base, usable: true, matched: false, reason: 'it matches no certificate the server sent above its own (a DANE-TA trust anchor must be in the chain as sent)' };
      }
      default:
        return { ...base, usable: false, reason: `unknown certificate usage ${record.usage}`, matched: false };
    }
  };
  const results = records.map((record): TlsaRecordResult => {
    const base = { usage: record.usage, selector: record.selector, matchingType: record.matchingType, data: record.data.toLowerCase(), mnemonic: tlsaMnemonic(record) };
    const why = unusableReason(record);
    if (why !== undefined) return { ...base, usable: false, reason: why, matched: false };
    let result = judge(record, base);
    // RFC 7671 §7, §10.2: usages other than DANE-EE also need the certificate to name the server.
    if (result.matched && record.usage !== 3 && chain.names !== undefined) {
      result =
        named !== undefined
          ? { ...result, name: named }
          : { ...base, usable: true, matched: false, reason: `it matches, but the certificate names none of ${chain.names.join(', ')} (usages other than DANE-EE check the name, RFC 7671 §7)` };
    }
    const best = strongest.get(`${record.usage} ${record.selector}`);
    if (record.matchingType !== 0 && best !== undefined && best !== record.matchingType) {
      // RFC 7671 §9: a weaker digest beside a stronger one of the same usage and selector is not considered.
      const stronger = MATCHING_NAMES[best]!;
      return { ...base, usable: true, matched: false, supersededBy: stronger, wouldMatch: result.matched, reason: `ignored: the set also holds ${stronger} records for ${USAGE_NAMES[record.usage]} ${SELECTOR_NAMES[record.selector]}, and only the strongest digest counts (RFC 7671 §9)${result.matched ? '; it would match' : ''}` };
    }
    return result;
  });
  const match = results.find((r) => r.matched);
  return {
    records: results,
    usable: results.filter((r) => r.usable).length,
    ...(match !== undefined ? { match } : {}),
    daneEe: results.some((r) => r.matched && r.usage === 3),
    ...(chain.names !== undefined ? { names: chain.names } : {}),
  };
}

/** The TLSA record `3 1 1` for a certificate (what `fedcheck plan --tlsa` prints): SHA-256 of its SubjectPublicKeyInfo. */
export function daneEeSpkiSha256(der: Uint8Array): string | undefined {
  const parsed = parse(der);
  return parsed === undefined ? undefined : associationData(parsed, 1, 1);
}
