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
 *   chain as sent is issued by it (RFC 7671 §5.2.2). Names are still checked; the PKIX roots are not.
 * - DANE-EE (3): the leaf matches; nothing else is checked (RFC 7671 §5.1).
 */
export function matchTlsa(records: readonly TlsaData[], chain: DaneChain): DaneMatch {
  const sent = chain.sent.map(parse);
  const leaf = sent[0];
  const sentParsed = sent.filter((c): c is Parsed => c !== undefined);
  const above = leaf !== undefined && sent.every((c) => c !== undefined) ? issuerPath(sentParsed) : [];
  const path = chain.path.map(parse);
  const results = records.map((record): TlsaRecordResult => {
    const base = { usage: record.usage, selector: record.selector, matchingType: record.matchingType, data: record.data.toLowerCase(), mnemonic: tlsaMnemonic(record) };
    const why = unusableReason(record);
    if (why !== undefined) return { ...base, usable: false, reason: why, matched: false };
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
  });
  const match = results.find((r) => r.matched);
  return { records: results, usable: results.filter((r) => r.usable).length, ...(match !== undefined ? { match } : {}), daneEe: results.some((r) => r.matched && r.usage === 3) };
}

/** The TLSA record `3 1 1` for a certificate (what `fedcheck plan --tlsa` prints): SHA-256 of its SubjectPublicKeyInfo. */
export function daneEeSpkiSha256(der: Uint8Array): string | undefined {
  const parsed = parse(der);
  return parsed === undefined ? undefined : associationData(parsed, 1, 1);
}
