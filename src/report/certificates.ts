/**
 * What the monitoring formats say of `--probe`'s certificates, from the
 * `*-cert-expiry` findings' facts (the soonest expiry on each validated path).
 */
import type { DomainResult } from '../check/check-domain.js';

const EXPIRY_RULES: ReadonlySet<string> = new Set(['sipfed-cert-expiry', 'xmpp-cert-expiry']);

/** The earliest certificate expiry of a domain as a Unix time in seconds; undefined without probe results. */
export function earliestExpiry(domain: Pick<DomainResult, 'findings'>): number | undefined {
  let earliest: number | undefined;
  for (const f of domain.findings) {
    if (!EXPIRY_RULES.has(f.rule) || typeof f.facts?.notAfter !== 'string') continue;
    const t = Date.parse(f.facts.notAfter) / 1000;
    if (!Number.isNaN(t) && (earliest === undefined || t < earliest)) earliest = t;
  }
  return earliest;
}

/** The fewest days left of any probed certificate of the run, and the `--expiry-warn` days; undefined without probe results. */
export function fewestDaysLeft(domains: readonly Pick<DomainResult, 'findings'>[]): { readonly days: number; readonly warnDays: number | undefined } | undefined {
  let fewest: { days: number; warnDays: number | undefined } | undefined;
  for (const d of domains) {
    for (const f of d.findings) {
      if (!EXPIRY_RULES.has(f.rule) || typeof f.facts?.days !== 'number') continue;
      if (fewest === undefined || f.facts.days < fewest.days) fewest = { days: f.facts.days, warnDays: typeof f.facts.warnDays === 'number' ? f.facts.warnDays : undefined };
    }
  }
  return fewest;
}
