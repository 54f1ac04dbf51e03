/**
 * The DNSSEC rules: pure functions of the DNSSEC state the lookups carried
 * (src/lookup/dnssec.ts) and, with --authoritative, of what each server sent
 * with DO=1 (auth-rrsig, src/rules/dnssec/auth-rrsig.ts).
 */
import type { DnssecRuleId } from './catalogue.js';
import type { DnssecAnswer, DnssecAssessment } from '../../lookup/dnssec.js';
import type { Status } from '../types.js';
import { defineRule, type Finding, type FindingFacts, type Rule } from '../types.js';
import { authRrsig } from './auth-rrsig.js';

const named = (answers: readonly DnssecAnswer[]): string => answers.map((a) => `${a.name} ${a.type}`).join(', ');
const servers = (answers: readonly DnssecAnswer[]): string[] => [...new Set(answers.flatMap((a) => (a.server !== undefined ? [a.server] : [])))].sort();

/** The facts of a dnssec-srv finding: the state, who vouched, and each answer that was not secure. */
function facts(assessment: DnssecAssessment, required: boolean): FindingFacts {
  const of = (state: DnssecAnswer['state']): string[] => assessment.answers.filter((a) => a.state === state).map((a) => `${a.name} ${a.type}`);
  return {
    state: assessment.state,
    required,
    vouchedBy: assessment.vouchedBy,
    secure: of('secure'),
    insecure: of('insecure'),
    bogus: of('bogus'),
    unknown: of('unknown'),
  };
}

/**
 * dnssec-srv: one finding per domain. `secure` passes; `bogus` fails whatever
 * is required (validating partners get SERVFAIL: the records are unusable to
 * them, not missing); `insecure` is info unless `--require-dnssec`, then
 * fail. `unknown` (a lookup could not tell) is unknown with
 * `--require-dnssec`, and otherwise no finding at all: nothing is asked of
 * the domain, and the record rules already say what could not be told.
 */
export function dnssecSrvFinding(domain: string, assessment: DnssecAssessment, required: boolean): Finding<'dnssec-srv'> | undefined {
  const base = { rule: 'dnssec-srv' as const, name: domain, facts: facts(assessment, required) };
  const bogus = assessment.answers.filter((a) => a.state === 'bogus');
  const insecure = assessment.answers.filter((a) => a.state === 'insecure');
  const unknown = assessment.answers.filter((a) => a.state === 'unknown');
  switch (assessment.state) {
    case 'secure':
      return { ...base, status: 'pass', message: `The SRV and target address answers of ${domain} are DNSSEC-secure: ${assessment.vouchedBy.join(', ')} set AD on every one.` };
    case 'bogus':
      return {
        ...base,
        status: 'fail',
        message: `DNSSEC validation failed at ${servers(bogus).join(', ')} for ${named(bogus)} (bogus): resolvers that validate answer SERVFAIL, so partners behind them cannot use these records (which may well exist, but cannot be trusted).`,
      };
    case 'insecure': {
      const status: Status = required ? 'fail' : 'info';
      return {
        ...base,
        status,
        message: `Not DNSSEC-secure: ${servers(insecure).join(', ')} answered ${named(insecure)} without AD (an unsigned zone, or a resolver that does not validate)${required ? ', and --require-dnssec asks for secure answers' : ''}.`,
      };
    }
    case 'unknown': {
      if (!required) return undefined;
      const reason = `${named(unknown)} could not be looked up`;
      return {
        ...base,
        status: 'unknown',
        message: `Could not tell whether the answers of ${domain} are DNSSEC-secure: ${reason}.`,
        reason,
      };
    }
  }
}

const dnssecSrv = defineRule(['dnssec-srv'], (obs, exp) => {
  const finding = obs.dnssec === undefined ? undefined : dnssecSrvFinding(obs.domain, obs.dnssec, exp.requireDnssec === true);
  return finding === undefined ? [] : [finding];
}, 'dnssec');

/** The DNSSEC family's rules, in report order. */
export const DNSSEC_RULES: readonly Rule<DnssecRuleId>[] = [dnssecSrv, authRrsig];
