/**
 * RFC 7671 §5.1: with a matching DANE-EE (3) record, a DANE client checks
 * neither the certificate's names nor its validity dates. The tls family's
 * name and expiry findings for that address are kept, marked as overridden
 * (status `info`, facts `overriddenBy`, `overriddenStatus` and
 * `overriddenRecord`, the message saying so: src/rules/dane/messages.ts
 * overrideNote), and the DANE finding lists what it overrode (`overrides`).
 */
import { nameKey } from '../../dns/name-text.js';
import type { TlsRuleId } from '../tls/catalogue.js';
import { renderMessage } from '../catalogue.js';
import type { Finding, FindingFacts } from '../types.js';
import type { OverrideFacts } from './messages.js';

/** The findings a matching DANE-EE record makes irrelevant. */
const OVERRIDABLE: ReadonlySet<string> = new Set<TlsRuleId>(['sipfed-cert-name', 'sipfed-cert-expiry', 'xmpp-cert-name', 'xmpp-cert-expiry']);

const key = (facts: FindingFacts | undefined): string => `${String(facts?.service)} ${nameKey(String(facts?.target))} ${String(facts?.port)} ${String(facts?.address)}`;

/** The finding with new facts, its message rendered from them as every message is (src/rules/catalogue.ts renderMessage: the override note included). */
function rendered<Id extends string>(f: Finding<Id>, facts: FindingFacts): Finding<Id> {
  const message = renderMessage(f.code, facts);
  if (message === undefined) throw new Error(`${f.rule}: no template for the message code ${f.code}`);
  return { ...f, message, facts };
}

/** The findings with the RFC 7671 §5.1 overrides applied; unchanged when no DANE-EE record matched. */
export function applyDaneOverrides<Id extends string>(findings: readonly Finding<Id>[]): readonly Finding<Id>[] {
  // Made only when there is a match (this runs for every domain, nearly all without one).
  let daneEe: Map<string, Finding<Id>> | undefined;
  // sameLeaf false: DANE judged the certificate sent for the expanded name as SNI (RFC 7671 §7), not the one the name and expiry findings judged.
  for (const f of findings) if (f.rule === 'dane-tlsa' && f.status === 'pass' && f.facts?.daneEe === true && f.facts.sameLeaf !== false) (daneEe ??= new Map()).set(key(f.facts), f);
  if (daneEe === undefined) return findings;
  const matches = daneEe;
  const overridden = new Map<string, string[]>();
  const out = findings.map((f): Finding<Id> => {
    if (!OVERRIDABLE.has(f.rule) || (f.status !== 'fail' && f.status !== 'warn')) return f;
    const k = key(f.facts);
    const by = matches.get(k);
    if (by === undefined) return f;
    overridden.set(k, [...(overridden.get(k) ?? []), f.rule]);
    const override: OverrideFacts = { overriddenBy: 'dane-tlsa', overriddenStatus: f.status, overriddenRecord: String(by.facts?.matched ?? '') };
    return rendered({ ...f, status: 'info' }, { ...f.facts, ...override });
  });
  return out.map((f) => {
    if (f.rule !== 'dane-tlsa') return f;
    const rules = overridden.get(key(f.facts));
    if (rules === undefined || matches.get(key(f.facts)) !== f) return f;
    return rendered(f, { ...f.facts, overrides: rules });
  });
}
