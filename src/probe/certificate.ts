/**
 * Certificates as the probe reports them, and the chain check done here
 * rather than by OpenSSL's verify: OpenSSL says "unable to get local issuer
 * certificate" both for a missing intermediate and for an unknown CA, and the
 * operator needs to know which one to fix.
 */
import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type { CertificateSummary, TrustVerdict } from './types.js';

/**
 * The entries of Node's `subjectAltName` text: `DNS:a, othername:SRVName:b,
 * othername:XmppAddr:c, IP Address:…`. Node quotes a value as a JSON string
 * when it holds a comma, quote or control character (CVE-2021-44532), so a
 * plain split on ", " is not enough.
 */
export function parseSubjectAltName(text: string | undefined): { readonly type: string; readonly value: string }[] {
  const entries: { type: string; value: string }[] = [];
  if (text === undefined) return entries;
  let pos = 0;
  while (pos < text.length) {
    let colon = text.indexOf(':', pos);
    if (colon < 0) break;
    let type = text.slice(pos, colon);
    if (type === 'othername') {
      const second = text.indexOf(':', colon + 1);
      if (second < 0) break;
      type = `othername:${text.slice(colon + 1, second)}`;
      colon = second;
    }
    let value: string;
    let end: number;
    if (text[colon + 1] === '"') {
      // A JSON string: find its closing quote, skipping escaped characters.
      let i = colon + 2;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(text.slice(colon + 1, i + 1)) as string;
      } catch {
        value = text.slice(colon + 2, i);
      }
      end = i + 1;
    } else {
      const comma = text.indexOf(', ', colon + 1);
      end = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, end);
    }
    entries.push({ type, value });
    pos = text.startsWith(', ', end) ? end + 2 : end + 1;
  }
  return entries;
}

/** A certificate's time field as ISO 8601 (Node 20 gives "Dec  4 09:16:00 2026 GMT"). */
function isoTime(text: string): string {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

function commonName(subject: string): string | undefined {
  for (const line of subject.split('\n')) if (line.startsWith('CN=')) return line.slice(3);
  return undefined;
}

/** What the rules and reports use of one certificate. */
export function summarise(cert: X509Certificate): CertificateSummary {
  const san = parseSubjectAltName(cert.subjectAltName);
  const cn = commonName(cert.subject);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    serialNumber: cert.serialNumber,
    notBefore: isoTime(cert.validFrom),
    notAfter: isoTime(cert.validTo),
    fingerprint256: cert.fingerprint256,
    ca: cert.ca,
    ...(cn !== undefined ? { commonName: cn } : {}),
    dnsNames: san.filter((e) => e.type === 'DNS').map((e) => e.value.toLowerCase()),
    srvNames: san.filter((e) => e.type === 'othername:SRVName').map((e) => e.value.toLowerCase()),
    xmppAddrs: san.filter((e) => e.type === 'othername:XmppAddr').map((e) => e.value),
  };
}

/** Every certificate of a PEM text (a bundle may hold several). */
export function certificatesOfPem(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

/**
 * Node's bundled roots, read when a trust store is made: importing them from
 * `node:tls` by name would load TLS and parse the roots at every start.
 */
function systemRootCertificates(): readonly string[] {
  return (createRequire(import.meta.url)('node:tls') as typeof import('node:tls')).rootCertificates;
}

/** Trust anchors: the system's roots (Node's bundled Mozilla store) plus `--ca` certificates. */
export class TrustStore {
  private readonly bySubject = new Map<string, X509Certificate[]>();

  constructor(extra: readonly X509Certificate[] = [], options: { readonly systemRoots?: boolean } = {}) {
    const anchors = [...(options.systemRoots === false ? [] : systemRootCertificates().map((pem) => new X509Certificate(pem))), ...extra];
    for (const cert of anchors) {
      const list = this.bySubject.get(cert.subject);
      if (list === undefined) this.bySubject.set(cert.subject, [cert]);
      else list.push(cert);
    }
  }

  /** The anchor that issued `cert` (name and signature both), if any. */
  issuerOf(cert: X509Certificate): X509Certificate | undefined {
    return this.bySubject.get(cert.issuer)?.find((anchor) => cert.checkIssued(anchor) && cert.verify(anchor.publicKey));
  }

  /** Whether `cert` is itself an anchor (same DER). */
  has(cert: X509Certificate): boolean {
    return this.bySubject.get(cert.subject)?.some((anchor) => anchor.fingerprint256 === cert.fingerprint256) ?? false;
  }
}

// Not checkIssued(cert): OpenSSL's check wants keyCertSign, which a self-signed leaf rightly lacks.
const selfIssued = (cert: X509Certificate): boolean => cert.subject === cert.issuer && cert.verify(cert.publicKey);

/**
 * Walk from the leaf through the certificates as sent to a trust anchor.
 * Returns the verdict and the path (leaf first; ending with the anchor when
 * one was reached). Validity is checked on the path only once it reaches an
 * anchor, so that an expired certificate is named as such rather than hidden
 * behind a chain fault.
 */
export function verifyChain(sent: readonly X509Certificate[], store: TrustStore, now: Date): { readonly trust: TrustVerdict; readonly path: readonly X509Certificate[] } {
  const leaf = sent[0];
  if (leaf === undefined) return { trust: { kind: 'missing-intermediate', issuer: '(no certificate sent)' }, path: [] };
  const path: X509Certificate[] = [leaf];
  const unused = sent.slice(1);
  let current = leaf;
  for (;;) {
    if (store.has(current)) break;
    const anchor = store.issuerOf(current);
    if (anchor !== undefined) {
      path.push(anchor);
      break;
    }
    if (selfIssued(current)) {
      return { trust: current === leaf ? { kind: 'self-signed' } : { kind: 'unknown-ca', issuer: oneLine(current.subject) }, path };
    }
    const byName = unused.filter((c) => c.subject === current.issuer && current.checkIssued(c));
    const next = byName.find((c) => current.verify(c.publicKey));
    if (next === undefined) {
      if (byName.length > 0) return { trust: { kind: 'bad-signature', subject: oneLine(current.subject) }, path };
      // The chain as sent stops here. Above the leaf, a CA certificate whose issuer is unknown is an unknown CA;
      // at the leaf itself, the usual cause is an intermediate the server does not send.
      const issuer = oneLine(current.issuer);
      return { trust: current === leaf ? { kind: 'missing-intermediate', issuer } : { kind: 'unknown-ca', issuer }, path };
    }
    unused.splice(unused.indexOf(next), 1);
    path.push(next);
    current = next;
    if (path.length > 16) return { trust: { kind: 'unknown-ca', issuer: oneLine(current.issuer) }, path };
  }
  const at = now.getTime();
  for (const cert of path) {
    const notAfter = Date.parse(cert.validTo);
    const notBefore = Date.parse(cert.validFrom);
    if (at > notAfter) return { trust: { kind: 'expired', subject: oneLine(cert.subject), notAfter: isoTime(cert.validTo) }, path };
    if (at < notBefore) return { trust: { kind: 'not-yet-valid', subject: oneLine(cert.subject), notBefore: isoTime(cert.validFrom) }, path };
  }
  return { trust: { kind: 'trusted', anchor: oneLine(path[path.length - 1]!.subject) }, path };
}

function oneLine(name: string): string {
  return name.replace(/\n/g, ', ');
}
