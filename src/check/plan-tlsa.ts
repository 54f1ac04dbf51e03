/**
 * `fedcheck plan --tlsa CERT.pem`: the TLSA records to publish for the
 * Access Edge certificate at each planned SRV target and port (RFC 7673 §3:
 * `_<port>._tcp.<target>`), as `3 1 1` — DANE-EE, the SHA-256 of the
 * certificate's SubjectPublicKeyInfo — which RFC 7671 §5.1 recommends: it
 * survives a renewal with the same key, and names and dates do not matter.
 */
import { readFileSync } from 'node:fs';
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { certificatesOfPem } from '../probe/certificate.js';
import { daneEeSpkiSha256 } from '../probe/dane.js';
import { quoteInput } from '../escape.js';

/** The certificate a plan prints TLSA records for: its file and the `3 1 1` data. */
export interface PlanTlsa {
  readonly file: string;
  readonly subject: string;
  /** SHA-256 of the SubjectPublicKeyInfo, lower-case hex. */
  readonly spkiSha256: string;
}

/** Read the first certificate of a PEM file. Throws {@link ExitError}: 66 unreadable, 65 not a PEM certificate. */
export function readPlanCertificate(file: string): PlanTlsa {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ExitError(`plan: --tlsa ${quoteInput(file)}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`, EXIT.noInput);
  }
  let cert;
  try {
    cert = certificatesOfPem(text)[0];
  } catch {
    cert = undefined;
  }
  const data = cert !== undefined ? daneEeSpkiSha256(cert.raw) : undefined;
  if (cert === undefined || data === undefined) throw new ExitError(`plan: --tlsa ${quoteInput(file)} holds no PEM certificate`, EXIT.dataError);
  return { file, subject: cert.subject.replace(/\n/g, ', '), spkiSha256: data };
}

/**
 * The TLSA lines for the planned SRV records' targets (owners absolute),
 * deduplicated, in plan order. `records` are the plan's records (only type,
 * data and whether each is active are read).
 */
export function tlsaLines(records: readonly { readonly type: string; readonly data: string; readonly active: boolean }[], tlsa: PlanTlsa, ttl: number): string[] {
  // An owner's record is commented out, like the plan's, when only optional SRV records lead to it.
  const owners = new Map<string, boolean>();
  for (const r of records) {
    if (r.type !== 'SRV') continue;
    const [, , port, target] = r.data.split(/\s+/);
    if (port === undefined || target === undefined || target === '.' || target.startsWith('<')) continue;
    const owner = `_${port}._tcp.${target.endsWith('.') ? target : `${target}.`}`;
    owners.set(owner, (owners.get(owner) ?? false) || r.active);
  }
  if (owners.size === 0) return [];
  return [
    '',
    '; --- DANE: TLSA records for the Access Edge certificate (checked with --probe: dane-tlsa) ---',
    `; 3 1 1 = DANE-EE, SHA-256 of the public key of ${tlsa.subject} (RFC 7671 §5.1; RFC 7673 §3 for SRV targets).`,
    '; Publish them only in a DNSSEC-signed zone (unsigned, partners ignore them), and add the next key\'s record',
    '; a few TTLs before the certificate changes (RFC 7671 §8.1), or DANE partners refuse the new one.',
    ...[...owners].map(([owner, active]) => `${active ? '' : '; (with the optional SRV record) '}${owner.padEnd(40)} ${ttl} IN TLSA  3 1 1 ${tlsa.spkiSha256}`),
  ];
}
