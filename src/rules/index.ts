import { OPERATIONS_RULES } from './operations/rules.js';
import { TLS_RULES } from './tls/rules.js';
import { addressFindings, aliasFindings, domainFindings, portFinding, presenceFinding, srvPresence } from './federation/service-rules.js';
import { defineRule, type DomainExpectations, type DomainObservation, type Finding, type Rule } from './types.js';
import { autoFinding, effectiveExpectations, PROFILE_RULES, resolveProfile, type ProfileChoice } from './profiles/rules.js';
import { PROFILES, type ConcreteProfileName } from './profiles/profiles.js';
import { CORE_RULE_IDS, type RuleId } from './catalogue.js';
import { PROFILE_RULE_IDS } from './profiles/catalogue.js';

/** The rule ids a profile selects among. */
const PROFILE_GOVERNED: ReadonlySet<RuleId> = new Set<RuleId>([...CORE_RULE_IDS, ...PROFILE_RULE_IDS]);

/** Port of `_sipfederationtls._tcp` (Access Edge federation, TLS). */
export const SIPFED_PORT = 5061;
/** Port of `_xmpp-server._tcp` (XMPP server-to-server, RFC 6120). */
export const XMPP_PORT = 5269;

/** sipfed-srv and push-srv: the same record seen from federation discovery and from mobility. */
const federationPresence = defineRule(['sipfed-srv', 'push-srv'], (obs, exp) => {
  const presence = srvPresence(obs.sipfed);
  const findings: Finding<'sipfed-srv' | 'push-srv'>[] = [presenceFinding('sipfed-srv', obs.sipfed, exp.discovery || exp.mobility ? 'fail' : 'info', presence)];
  if (exp.mobility) {
    const push = presenceFinding('push-srv', obs.sipfed, 'fail', presence);
    findings.push(
      push.status === 'fail'
        ? { ...push, message: `${push.message.replace(/\.$/, '')}: the push notification clearinghouse cannot reach ${obs.domain}, so its mobile users get no push notifications.` }
        : push,
    );
  }
  return findings;
});

const federationRecords = defineRule(['sipfed-port', 'sipfed-target-address', 'sipfed-target-alias', 'sipfed-target-domain'], (obs) => {
  const port = portFinding('sipfed-port', obs.sipfed, SIPFED_PORT);
  return [
    ...(port ? [port] : []),
    ...addressFindings('sipfed-target-address', obs.sipfed),
    ...aliasFindings('sipfed-target-alias', obs.sipfed),
    ...domainFindings('sipfed-target-domain', obs.sipfed, obs.domain),
  ];
});

const xmpp = defineRule(['xmpp-srv', 'xmpp-port', 'xmpp-target-address', 'xmpp-target-alias'], (obs, exp) => {
  if (exp.xmpp === 'off' || obs.xmpp === undefined) return [];
  const service = obs.xmpp;
  const presence = presenceFinding('xmpp-srv', service, exp.xmpp === 'required' ? 'fail' : 'info');
  const port = portFinding('xmpp-port', service, XMPP_PORT);
  return [presence, ...(port ? [port] : []), ...addressFindings('xmpp-target-address', service), ...aliasFindings('xmpp-target-alias', service)];
});

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [federationPresence, federationRecords, xmpp, ...OPERATIONS_RULES, ...TLS_RULES];

/** A rule a profile runs, with the ids to keep when the profile reports only some of those it can emit. */
export interface SelectedRule {
  readonly rule: Rule;
  /** Absent when the profile reports every id of the rule. */
  readonly only?: ReadonlySet<RuleId>;
}

/**
 * The rules to run for a profile that selects the ids `selected`, in report
 * order: every rule (core, operations, profile) that can emit a selected id
 * or one that profiles do not govern.
 */
export function selectRules(selected: readonly RuleId[]): SelectedRule[] {
  // Profiles choose among the core and profile rules only; other rules (e.g. authoritative mode) are not theirs to drop.
  const reported = (id: RuleId): boolean => selected.includes(id) || !PROFILE_GOVERNED.has(id);
  return [...RULES, ...PROFILE_RULES].flatMap((rule): SelectedRule[] => {
    const kept = rule.ids.filter(reported);
    if (kept.length === 0) return [];
    return kept.length === rule.ids.length ? [{ rule }] : [{ rule, only: new Set(kept) }];
  });
}

/** Each profile's rules, selected once rather than per domain. */
const RULES_OF_PROFILE: { readonly [P in ConcreteProfileName]: readonly SelectedRule[] } = {
  federation: selectRules(PROFILES.federation.rules),
  edge: selectRules(PROFILES.edge.rules),
  'sfb2019-edge': selectRules(PROFILES['sfb2019-edge'].rules),
  online: selectRules(PROFILES.online.rules),
};

/** The rules {@link evaluateProfile} runs for a domain checked as `profile`. */
export function rulesOfProfile(profile: ConcreteProfileName): readonly SelectedRule[] {
  return RULES_OF_PROFILE[profile];
}

/**
 * Apply to one domain's observation the rules its profile selects
 * (src/rules/profiles/profiles.ts), with the profile chosen; a rule that can emit
 * none of the profile's ids is not run. The default profile, federation,
 * selects exactly the core rules; `auto` is resolved here from the
 * observation, and says so in a `profile-auto` finding.
 */
export function evaluateProfile(observation: DomainObservation, expectations: DomainExpectations): { readonly findings: Finding[]; readonly choice: ProfileChoice } {
  const choice = resolveProfile(observation, expectations);
  const effective = effectiveExpectations(expectations, choice);
  const findings: Finding[] = choice.requested === 'auto' ? [autoFinding(observation, choice)] : [];
  for (const { rule, only } of RULES_OF_PROFILE[choice.profile]) {
    for (const finding of rule.run(observation, effective)) if (only === undefined || only.has(finding.rule)) findings.push(finding);
  }
  return { findings, choice };
}

/** The findings of {@link evaluateProfile}. */
export function evaluate(observation: DomainObservation, expectations: DomainExpectations): Finding[] {
  return evaluateProfile(observation, expectations).findings;
}

export type { DomainExpectations, DomainObservation, Finding, Rule } from './types.js';
