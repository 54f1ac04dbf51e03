import { OPERATIONS_RULES } from './operations.js';
import { addressFindings, aliasFindings, domainFindings, portFinding, presenceFinding, srvPresence } from './service-rules.js';
import { defineRule, type DomainExpectations, type DomainObservation, type Finding, type Rule } from './types.js';
import { autoFinding, effectiveExpectations, PROFILE_RULES, resolveProfile, type ProfileChoice } from './profile-rules.js';
import { PROFILES } from './profiles.js';
import { CORE_RULE_IDS } from './catalogue.js';
import { PROFILE_RULE_IDS } from './catalogue-profiles.js';

/** The rules a profile selects among. */
const PROFILE_GOVERNED = new Set<string>([...CORE_RULE_IDS, ...PROFILE_RULE_IDS]);

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
export const RULES: readonly Rule[] = [federationPresence, federationRecords, xmpp, ...OPERATIONS_RULES];

/**
 * Apply every rule to one domain's observation and keep the findings of the
 * rules its profile selects (src/rules/profiles.ts), with the profile chosen.
 * The default profile, federation, selects exactly the core rules; `auto` is
 * resolved here from the observation, and says so in a `profile-auto` finding.
 */
export function evaluateProfile(observation: DomainObservation, expectations: DomainExpectations): { readonly findings: Finding[]; readonly choice: ProfileChoice } {
  const choice = resolveProfile(observation, expectations);
  const effective = effectiveExpectations(expectations, choice);
  const selected = new Set<string>(PROFILES[choice.profile].rules);
  // Profiles choose among the core and profile rules only; other rules (e.g. authoritative mode) are not theirs to drop.
  const keep = (rule: string): boolean => selected.has(rule) || !PROFILE_GOVERNED.has(rule);
  const findings = [...RULES, ...PROFILE_RULES].flatMap((rule) => rule.run(observation, effective)).filter((f) => keep(f.rule));
  return { findings: choice.requested === 'auto' ? [autoFinding(observation, choice), ...findings] : findings, choice };
}

/** The findings of {@link evaluateProfile}. */
export function evaluate(observation: DomainObservation, expectations: DomainExpectations): Finding[] {
  return evaluateProfile(observation, expectations).findings;
}

export type { DomainExpectations, DomainObservation, Finding, Rule } from './types.js';
