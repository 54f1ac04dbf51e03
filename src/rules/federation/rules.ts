/**
 * The core federation rules: pure functions of the `_sipfederationtls._tcp`
 * and `_xmpp-server._tcp` lookups (src/check/check-domain.ts), one finding
 * per record or target.
 */
import { addressFindings, aliasFindings, domainFindings, portFinding, presenceFinding, srvPresence } from './service-rules.js';
import { defineRule, type Finding, type Rule } from '../types.js';
import type { CoreRuleId } from './catalogue.js';
import { say } from './messages.js';

/** Port of `_sipfederationtls._tcp` (Access Edge federation, TLS). */
export const SIPFED_PORT = 5061;
/** Port of `_xmpp-server._tcp` (XMPP server-to-server, RFC 6120). */
export const XMPP_PORT = 5269;

/** sipfed-srv and push-srv: the same record seen from federation discovery and from mobility. */
const federationPresence = defineRule(['sipfed-srv', 'push-srv'], (obs, exp) => {
  const presence = srvPresence(obs.sipfed);
  const findings: Finding<'sipfed-srv' | 'push-srv'>[] = [presenceFinding('sipfed-srv', obs.sipfed, exp.discovery || exp.mobility ? 'fail' : 'info', presence)];
  if (exp.mobility) {
    findings.push(
      presence.state === 'absent' || presence.state === 'root-only'
        ? say('push-srv', 'fail', obs.sipfed.owner, 'push-unreachable', { ...presence, domain: obs.domain })
        : presenceFinding('push-srv', obs.sipfed, 'fail', presence),
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

/** The core rules, in report order. */
export const CORE_RULES: readonly Rule<CoreRuleId>[] = [federationPresence, federationRecords, xmpp];
