/**
 * The names the Access Edge certificate must carry for a plan, as comments
 * after the records: what `--probe` checks (sipfed-cert-name,
 * xmpp-cert-name). Microsoft: subject alternative names hold the Access Edge
 * FQDN (the SRV target) and sip.<domain> of each SIP domain; RFC 6120
 * §13.7.2.1: an XMPP server's certificate covers the XMPP domain itself.
 */
import type { ConcreteProfileName } from '../rules/profiles/profiles.js';

/**
 * Comment lines naming the certificate's subject alternative names (none for
 * `online`: Microsoft's certificate). `recordsOf` gives a domain's planned
 * records (only their owners are read), `edgeFor` its Access Edge FQDN.
 */
export function certificateLines(
  domains: readonly string[],
  profile: ConcreteProfileName,
  recordsOf: (domain: string) => readonly { readonly owner: string }[],
  edgeFor: (domain: string) => string,
): string[] {
  if (profile === 'online') return [];
  const dns = new Set<string>();
  const xmpp: string[] = [];
  for (const domain of domains) {
    dns.add(edgeFor(domain));
    dns.add(`sip.${domain}`);
    if (recordsOf(domain).some((r) => r.owner.startsWith('_xmpp-server._tcp.'))) xmpp.push(domain);
  }
  const lines = [
    '',
    '; --- the Access Edge certificate (checked with --probe: sipfed-cert-name, xmpp-cert-name) ---',
    '; From a public CA, TLS 1.2 or later; partners match these subject alternative names (never the subject CN):',
    `;   DNS: ${[...dns].join(', ')}`,
  ];
  if (xmpp.length > 0) {
    lines.push(
      '; with XMPP federation (_xmpp-server._tcp), also each XMPP domain itself, as a DNS name or SRV-ID (RFC 6120 §13.7.2.1):',
      `;   DNS: ${xmpp.join(', ')}`,
      `;   or SRV-ID (otherName 1.3.6.1.5.5.7.8.7): ${xmpp.map((d) => `_xmpp-server.${d}`).join(', ')}`,
    );
  }
  return lines;
}
