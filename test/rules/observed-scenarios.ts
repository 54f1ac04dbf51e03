/**
 * Every scenario of the tables (scenarios.ts, operations-scenarios.ts,
 * profiles-scenarios.ts, tls-scenarios.ts, dnssec-scenarios.ts, compare-scenarios.ts) as what was observed of D and
 * what is expected of it: for tests that run the rules one by one, or
 * compare two ways of evaluating them, over all the observations there are.
 */
import { PROFILE_NAMES, type ProfileName } from '../../src/rules/profiles/profiles.js';
import { DEFAULT_EXPECTATIONS, type DomainExpectations, type DomainObservation } from '../../src/rules/types.js';
import { COMPARE_SCENARIOS, compareObservation } from './compare/scenarios.js';
import { OPERATIONS_SCENARIOS, scenarioObservation } from './operations/scenarios.js';
import { PROFILE_SCENARIOS, profileFindings } from './profiles/scenarios.js';
import { observe, SCENARIOS } from './scenarios.js';
import { TLS_SCENARIOS, tlsObservation } from './tls/scenarios.js';
import { DNSSEC_SCENARIOS, dnssecObservation } from './dnssec/scenarios.js';
import { DANE_SCENARIOS, daneObservation } from './dane/scenarios.js';

export interface ObservedScenario {
  readonly title: string;
  readonly observation: DomainObservation;
  readonly expectations: DomainExpectations;
}

/** Every scenario, observed as its table observes it. */
export async function observedScenarios(): Promise<ObservedScenario[]> {
  const core = SCENARIOS.map(async (s) => ({ title: s.title, ...(await observe(s.records, s.expect, s.zone)) }));
  const operations = OPERATIONS_SCENARIOS.map(async (s) => ({ title: `operations: ${s.title}`, ...(await scenarioObservation(s)) }));
  const profiles = PROFILE_SCENARIOS.map(async (s) => {
    const { observation, expectations } = await profileFindings(s.records, s.expect, s.zone);
    return { title: `profiles: ${s.title}`, observation, expectations };
  });
  const tls = TLS_SCENARIOS.map(async (s) => ({ title: `tls: ${s.title}`, ...(await tlsObservation(s)) }));
  const dnssec = DNSSEC_SCENARIOS.map(async (s) => ({ title: `dnssec: ${s.title}`, ...(await dnssecObservation(s)) }));
  const dane = DANE_SCENARIOS.map(async (s) => ({ title: `dane: ${s.title}`, ...(await daneObservation(s)) }));
  const compare = COMPARE_SCENARIOS.map((s) => ({ title: `compare: ${s.title}`, observation: compareObservation(s), expectations: DEFAULT_EXPECTATIONS }));
  return [...(await Promise.all([...core, ...operations, ...profiles, ...tls, ...dnssec, ...dane])), ...compare];
}

/** Each scenario once per profile name (its own settings otherwise), so that every profile sees every observation. */
export async function observedUnderEveryProfile(): Promise<(ObservedScenario & { readonly profile: ProfileName })[]> {
  return (await observedScenarios()).flatMap((s) =>
    PROFILE_NAMES.map((profile) => ({ ...s, title: `${s.title} [${profile}]`, profile, expectations: { ...s.expectations, profile } })),
  );
}
