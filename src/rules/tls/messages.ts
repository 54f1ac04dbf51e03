/** The TLS probe's English: one template per message code, from the finding's facts alone. */
import { count, host, speaker } from '../messages.js';

/** What every probe finding carries: which service, SRV target, address and port. */
export type ProbeFacts = { readonly service: string; readonly owner: string; readonly target: string; readonly address: string; readonly port: number };

/** How the trust check failed, with what it names (null when the kind names nothing). */
export type TrustFacts = {
  readonly trust: 'self-signed' | 'missing-intermediate' | 'unknown-ca' | 'bad-signature' | 'expired' | 'not-yet-valid';
  readonly issuer: string | null;
  readonly subject: string | null;
  readonly notAfter: string | null;
  readonly notBefore: string | null;
};

function trustText(t: TrustFacts): string {
  switch (t.trust) {
    case 'self-signed':
      return 'the certificate is self-signed';
    case 'missing-intermediate':
      return `the chain as sent ends at the leaf, whose issuer "${t.issuer ?? ''}" is neither sent nor a trusted root (a missing intermediate, or a private CA: add it with --ca)`;
    case 'unknown-ca':
      return `the chain as sent leads to "${t.issuer ?? ''}", which is not a trusted root (an unknown CA; add it with --ca if it is yours)`;
    case 'bad-signature':
      return `the signature on "${t.subject ?? ''}" does not verify with the certificate sent as its issuer`;
    case 'expired':
      return `"${t.subject ?? ''}" on the chain expired on ${t.notAfter ?? ''}`;
    case 'not-yet-valid':
      return `"${t.subject ?? ''}" on the chain is not valid before ${t.notBefore ?? ''}`;
  }
}

/** A certificate's names: its subject alternative names by kind, and its subject CN. */
export type NamesFacts = { readonly dnsNames: readonly string[]; readonly srvNames: readonly string[]; readonly xmppAddrs: readonly string[] };

function namesText(n: NamesFacts): string {
  const all = [...n.dnsNames.map((x) => `DNS:${x}`), ...n.srvNames.map((x) => `SRV:${x}`), ...n.xmppAddrs.map((x) => `XmppAddr:${x}`)];
  return all.length > 0 ? all.join(', ') : 'no subject alternative names';
}

/** The certificate, or the chain element that expires first. */
type Expiry = ProbeFacts & { readonly notAfter: string; readonly days: number; readonly subject: string; readonly onChain: boolean; readonly warnDays: number };
const which = (f: Expiry): string => (f.onChain ? `"${f.subject}" on its chain` : 'the certificate');

type Failure = ProbeFacts & { readonly detail: string };
type SipName = ProbeFacts & NamesFacts & { readonly commonName: string | null; readonly sipDomain: string; readonly sipDomainCovered: boolean };

/** The probe's templates, by message code (codes are unique across families: src/rules/catalogue.ts renderMessage). */
export const TLS_MESSAGES = {
  // a connection that did not complete (every connection rule)
  'probe-no-route': (f: Failure) => `${host(f)} was not probed: ${f.detail} (not evidence either way).`,
  'probe-unknown': (f: Failure & { readonly attempt: 'tls' | 'direct-tls' | 'starttls' }) =>
    `Could not tell whether ${host(f)} ${f.attempt === 'tls' ? 'accepts TLS' : f.attempt === 'direct-tls' ? 'accepts direct TLS' : 'offers STARTTLS'}: ${f.detail}.`,
  'probe-failed': (f: Failure) => `${host(f)} (${f.owner}): ${f.detail}.`,
  // sipfed-tls
  'tls-handshake': (f: ProbeFacts & { readonly version: string; readonly cipher: string }) => `${host(f)} completes a TLS handshake (${f.version}, ${f.cipher}).`,
  'tls-client-certificate': (f: ProbeFacts & { readonly version: string; readonly endedAfterCertificate: string }) =>
    `${host(f)} speaks TLS (${f.version}) and sent its certificate, then ended the handshake (${f.endedAfterCertificate}): it asks for a client certificate (mutual TLS between edges), which partners' edges present and this probe does not.`,
  // sipfed-tls-version
  'tls-version-modern': (f: ProbeFacts & { readonly version: string; readonly legacyOnly: boolean; readonly modernError: string | null }) =>
    `${host(f)} negotiates ${f.version}${f.legacyOnly ? ` only at OpenSSL security level 0 (weak keys or ciphers; the normal handshake failed: ${f.modernError ?? 'unknown'})` : ''}.`,
  'tls-version-legacy': (f: ProbeFacts & { readonly version: string; readonly modernError: string | null }) =>
    `${host(f)} offers only ${f.version}: a TLS 1.2 handshake failed (${f.modernError ?? 'refused'}), so Microsoft 365 and current partners cannot connect.`,
  // xmpp-starttls
  'direct-tls': (f: ProbeFacts & { readonly version: string; readonly alpn: string | null }) =>
    `${host(f)} completes direct TLS (XEP-0368, ${f.version}${f.alpn !== null ? `, ALPN ${f.alpn}` : ', no ALPN protocol chosen'}).`,
  starttls: (f: ProbeFacts & { readonly version: string; readonly required: boolean }) =>
    `${host(f)} offers STARTTLS${f.required ? ' (required)' : ' (not required)'} and proceeds to ${f.version}.`,
  // *-cert-trust
  'cert-trusted': (f: ProbeFacts & { readonly anchor: string }) => `The certificate of ${host(f)} chains to the trusted root "${f.anchor}".`,
  'cert-untrusted': (f: ProbeFacts & TrustFacts) => `The certificate of ${host(f)} is not trusted: ${trustText(f)}.`,
  // *-cert-expiry
  'cert-not-yet-valid': (f: Expiry & { readonly notBefore: string }) => `The certificate of ${host(f)} is not valid before ${f.notBefore}.`,
  'cert-expired': (f: Expiry) => `For ${host(f)}, ${which(f)} expired on ${f.notAfter}.`,
  'cert-expiring': (f: Expiry) => `For ${host(f)}, ${which(f)} expires in ${count(f.days, 'day')} (${f.notAfter}; warning under ${f.warnDays}).`,
  'cert-valid': (f: Expiry) => `For ${host(f)}, ${which(f)} is valid for ${f.days} more days (until ${f.notAfter}).`,
  // sipfed-cert-name
  'cert-name-covered': (f: SipName & { readonly covering: string }) => {
    const sipNote =
      f.target.toLowerCase() === f.sipDomain ? '' : f.sipDomainCovered ? `; ${f.sipDomain} is covered too` : `; ${f.sipDomain} is not (Microsoft asks for sip.<domain> of every SIP domain)`;
    return `The certificate of ${host(f)} names ${f.target} in its subject alternative names (${f.covering}${f.covering.startsWith('*') ? ', a wildcard, which the Access Edge should not use' : ''})${sipNote}.`;
  },
  'cert-name-cn-only': (f: SipName) => `The certificate of ${host(f)} names ${f.target} only in its subject CN, which TLS ignores; its subject alternative names are: ${namesText(f)}.`,
  'cert-name-missing': (f: SipName) => `The certificate of ${host(f)} does not cover ${f.target}: it names ${namesText(f)}${f.commonName !== null ? ` (CN ${f.commonName})` : ''}.`,
  // xmpp-cert-name
  'xmpp-name-covered': (f: ProbeFacts & NamesFacts & { readonly domain: string; readonly identity: string }) => `The certificate of ${host(f)} covers the XMPP domain ${f.domain} (${f.identity}).`,
  'xmpp-name-target-only': (f: ProbeFacts & NamesFacts & { readonly domain: string; readonly srvSecure: boolean }) =>
    `The certificate of ${host(f)} covers only the SRV target ${f.target}, not the XMPP domain ${f.domain}: partners accept that only when the SRV answer is DNSSEC-secure (RFC 7673), and this one was ${f.srvSecure ? '' : 'not '}validated by the resolver.`,
  'xmpp-name-missing': (f: ProbeFacts & NamesFacts & { readonly domain: string }) => `The certificate of ${host(f)} does not cover the XMPP domain ${f.domain}: it names ${namesText(f)}.`,
};

/** A finding of the probe's templates. */
export const say = speaker(TLS_MESSAGES);
