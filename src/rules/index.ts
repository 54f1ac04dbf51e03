import { OPERATIONS_RULES } from './operations.js';
import { addressFindings, aliasFindings, domainFindings, portFinding, presenceFinding, srvPresence } from './service-rules.js';
import type { DomainExpectations, DomainObservation, Finding, Rule } from './types.js';

/** Port of `_sipfederationtls._tcp` (Access Edge federation, TLS). */
export const SIPFED_PORT = 5061;
/** Port of `_xmpp-server._tcp` (XMPP server-to-server, RFC 6120). */
export const XMPP_PORT = 5269;

/** sipfed-srv and push-srv: the same record seen from federation discovery and from mobility. */
const federationPresence: Rule = (obs, exp) => {
  const presence = srvPresence(obs.sipfed);
  const findings: Finding[] = [presenceFinding('sipfed-srv', obs.sipfed, exp.discovery || exp.mobility ? 'fail' : 'info', presence)];
  if (exp.mobility) {
    const push = presenceFinding('push-srv', obs.sipfed, 'fail', presence);
    findings.push(
      push.status === 'fail'
        ? { ...push, message: `${push.message.replace(/\.$/, '')}: the push notification clearinghouse cannot reach ${obs.domain}, so its mobile users get no push notifications.` }
        : push,
    );
  }
  return findings;
};

const federationRecords: Rule = (obs) => {
  const port = portFinding('sipfed-port', obs.sipfed, SIPFED_PORT);
  return [
    ...(port ? [port] : []),
    ...addressFindings('sipfed-target-address', obs.sipfed),
    ...aliasFindings('sipfed-target-alias', obs.sipfed),
    ...domainFindings('sipfed-target-domain', obs.sipfed, obs.domain),
  ];
};

const xmpp: Rule = (obs, exp) => {
  if (exp.xmpp === 'off' || obs.xmpp === undefined) return [];
  const service = obs.xmpp;
  const presence = presenceFinding('xmpp-srv', service, exp.xmpp === 'required' ? 'fail' : 'info');
  const port = portFinding('xmpp-port', service, XMPP_PORT);
  return [presence, ...(port ? [port] : []), ...addressFindings('xmpp-target-address', service), ...aliasFindings('xmpp-target-alias', service)];
};

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [federationPresence, federationRecords, xmpp, ...OPERATIONS_RULES];

/** Apply every rule to one domain's observation. */
export function evaluate(observation: DomainObservation, expectations: DomainExpectations): Finding[] {
  return RULES.flatMap((rule) => rule(observation, expectations));
}

export type { DomainExpectations, DomainObservation, Finding, Rule } from './types.js';
