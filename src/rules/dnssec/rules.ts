/**
 * The DNSSEC rules: pure functions of the DNSSEC state the lookups carried
 * (src/lookup/dnssec.ts) and, with --authoritative, of what each server sent
 * with DO=1 (auth-rrsig, src/rules/dnssec/auth-rrsig.ts).
 */
import type { DnssecRuleId } from './catalogue.js';
import type { DnssecAssessment } from '../../lookup/dnssec.js';
import { defineRule, type Finding, type Rule } from '../types.js';
import { authRrsig } from './auth-rrsig.js';
import { dnssecUnknownReason, say, type DnssecSrvFacts } from './messages.js';

const NONE: readonly string[] = [];

/** Adds a server to a short list once (a domain's answers come from one or two resolvers: no Set needed). */
function addServer(list: string[], server: string | undefined): void {
  if (server !== undefined && !list.includes(server)) list.push(server);
}

/**
 * dnssec-srv: one finding per domain. `secure` passes; `bogus` fails whatever
 * is required (validating partners get SERVFAIL: the records are unusable to
 * them, not missing); `insecure` is info unless `--require-dnssec`, then
 * fail. `unknown` (a lookup could not tell) is unknown with
 * `--require-dnssec`, and otherwise no finding at all: nothing is asked of
 * the domain, and the record rules already say what could not be told.
 *
 * It runs for every domain checked through a resolver, so it reads the
 * answers once, and not at all for a secure domain (every answer secure).
 */
export function dnssecSrvFinding(domain: string, assessment: DnssecAssessment, required: boolean): Finding<'dnssec-srv'> | undefined {
  const state = assessment.state;
  if (state === 'unknown' && !required) return undefined;
  if (state === 'secure') {
    const facts: DnssecSrvFacts = { domain, state, required, vouchedBy: assessment.vouchedBy, insecure: NONE, bogus: NONE, unknown: NONE, insecureAt: NONE, bogusAt: NONE };
    return say('dnssec-srv', 'pass', domain, 'dnssec-secure', facts);
  }
  const insecure: string[] = [];
  const bogus: string[] = [];
  const unknown: string[] = [];
  const insecureAt: string[] = [];
  const bogusAt: string[] = [];
  for (const a of assessment.answers) {
    switch (a.state) {
      case 'secure':
        break;
      case 'insecure':
        insecure.push(`${a.name} ${a.type}`);
        addServer(insecureAt, a.server);
        break;
      case 'bogus':
        bogus.push(`${a.name} ${a.type}`);
        addServer(bogusAt, a.server);
        break;
      case 'unknown':
        unknown.push(`${a.name} ${a.type}`);
        break;
    }
  }
  if (insecureAt.length > 1) insecureAt.sort();
  if (bogusAt.length > 1) bogusAt.sort();
  const facts: DnssecSrvFacts = { domain, state, required, vouchedBy: assessment.vouchedBy, insecure, bogus, unknown, insecureAt, bogusAt };
  switch (state) {
    case 'bogus':
      return say('dnssec-srv', 'fail', domain, 'dnssec-bogus', facts);
    case 'insecure':
      return say('dnssec-srv', required ? 'fail' : 'info', domain, 'dnssec-insecure', facts);
    case 'unknown':
      return say('dnssec-srv', 'unknown', domain, 'dnssec-unknown', facts, dnssecUnknownReason(facts));
  }
}

const dnssecSrv = defineRule(['dnssec-srv'], (obs, exp) => {
  const finding = obs.dnssec === undefined ? undefined : dnssecSrvFinding(obs.domain, obs.dnssec, exp.requireDnssec === true);
  return finding === undefined ? [] : [finding];
}, 'dnssec');

/** The DNSSEC family's rules, in report order. */
export const DNSSEC_RULES: readonly Rule<DnssecRuleId>[] = [dnssecSrv, authRrsig];
