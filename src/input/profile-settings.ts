/**
 * The profile settings of a config entry whose values are host names (`edge`
 * and `hosts`): the schema only says they are strings, so they are parsed
 * here like the SIP domains themselves (IDNs converted, A-labels, lower case).
 */
import { EDGE_HOST_ROLES } from '../rules/profiles/profiles.js';
import type { ExpectationOverrides } from './config.js';
import { parseDomainName } from './domain-name.js';
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

/** Normalise `edge` and `hosts` of one entry; `where` names the entry in error messages. Throws ExitError (64). */
export function normaliseProfileSettings(overrides: ExpectationOverrides, where: string): ExpectationOverrides {
  const name = (text: string, key: string): string => {
    const parsed = parseDomainName(text);
    if (!parsed.ok) throw new ExitError(`${where}: ${key}: ${parsed.error}`, EXIT.usage);
    return parsed.value;
  };
  let out: ExpectationOverrides = overrides;
  if (overrides.edge !== undefined) out = { ...out, edge: name(overrides.edge, 'edge') };
  const hosts = overrides.hosts;
  if (hosts !== undefined) {
    out = { ...out, hosts: Object.fromEntries(EDGE_HOST_ROLES.flatMap((role) => (hosts[role] !== undefined ? [[role, name(hosts[role]!, `hosts.${role}`)]] : []))) };
  }
  return out;
}
