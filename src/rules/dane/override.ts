/**
 * RFC 7671 §5.1: with a matching DANE-EE (3) record, a DANE client checks
 * neither the certificate's names nor its validity dates. The tls family's
 * name and expiry findings for that address are kept, marked as overridden
 * (status `info`, facts `overriddenBy` and `overriddenStatus`, the message
 * saying so), and the DANE finding lists what it overrode.
 */
import type { RuleId } from '../catalogue.js';
import type { Finding, FindingFacts } from '../types.js';

/** The findings a matching DANE-EE record makes irrelevant. */
const OVERRIDABLE: ReadonlySet<RuleId> = new Set<RuleId>(['sipfed-cert-name', 'sipfed-cert-expiry', 'xmpp-cert-name', 'xmpp-cert-expiry']);

const key = (facts: FindingFacts | undefined): string => `${String(facts?.service)} ${String(facts?.target).toLowerCase()} ${String(facts?.port)} ${String(facts?.address)}`;

/** The findings with the RFC 7671 §5.1 overrides applied; unchanged when no DANE-EE record matched. */
export function applyDaneOverrides(findings: readonly Finding[]): Finding[] {
  const daneEe = new Map<string, Finding>();
  for (const f of findings) if (f.rule === 'dane-tlsa' && f.status === 'pass' && f.facts?.daneEe === true) daneEe.set(key(f.facts), f);
  if (daneEe.size === 0) return [...findings];
  const overridden = new Map<string, RuleId[]>();
  const out = findings.map((f): Finding => {
    if (!OVERRIDABLE.has(f.rule) || (f.status !== 'fail' && f.status !== 'warn')) return f;
    const k = key(f.facts);
    const by = daneEe.get(k);
    if (by === undefined) return f;
    overridden.set(k, [...(overridden.get(k) ?? []), f.rule]);
    return {
      ...f,
      status: 'info',
      message: `${f.message} Overridden (was ${f.status}): the secure DANE-EE record ${String(by.facts?.matched ?? '').slice(0, 24)}… matches this certificate, so DANE partners ignore its names and dates (RFC 7671 §5.1); partners that use PKIX alone still see it.`,
      facts: { ...f.facts, overriddenBy: 'dane-tlsa', overriddenStatus: f.status },
    };
  });
  return out.map((f) => {
    if (f.rule !== 'dane-tlsa') return f;
    const rules = overridden.get(key(f.facts));
    if (rules === undefined || daneEe.get(key(f.facts)) !== f) return f;
    return { ...f, message: `${f.message} It overrides ${rules.join(', ')} for this address.`, facts: { ...f.facts, overrides: rules } };
  });
}
