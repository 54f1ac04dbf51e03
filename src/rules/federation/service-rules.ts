import { nameIsAtOrBelow } from '../../dns/name-text.js';
import { missingDotHint } from './missing-dot.js';
import { absenceWord, finalName, isUnknown, unreachable, type LookupOutcome } from '../../lookup/types.js';
import { addressRecords, isRootTarget, srvRecords, type ServiceResolution, type TargetResolution } from '../../lookup/service.js';
import type { Finding, Status } from '../types.js';

/** The state of an SRV owner as far as presence rules care. */
export type SrvPresence =
  | { readonly state: 'usable'; readonly summary: string }
  | { readonly state: 'root-only'; readonly summary: string }
  | { readonly state: 'absent'; readonly summary: string }
  | { readonly state: 'error'; readonly summary: string; readonly reason: string };

/** Classify an SRV lookup: usable records, only the "." target, absent, or could not tell. */
export function srvPresence(service: ServiceResolution): SrvPresence {
  const srv = service.srv;
  const owner = service.owner;
  switch (srv.kind) {
    case 'error':
    case 'referral':
      // A referral says nothing about the records: the name lies in a zone that was not asked.
      return { state: 'error', summary: `${owner} SRV could not be checked: ${srv.detail}`, reason: srv.detail };
    case 'nxdomain':
    case 'nodata':
      return { state: 'absent', summary: `${owner} SRV is absent: ${absenceWord(srv)}` };
    case 'answer': {
      const records = srvRecords(srv);
      const usable = records.filter((r) => !isRootTarget(r.target));
      if (usable.length === 0) {
        return {
          state: 'root-only',
          summary: `${owner} has only an SRV record with target ".", which says the service is decidedly not available (RFC 2782)`,
        };
      }
      const shown = usable.map((r) => `${r.priority} ${r.weight} ${r.port} ${r.target}`).join(', ');
      return { state: 'usable', summary: `${owner} has ${usable.length} SRV record${usable.length === 1 ? '' : 's'}: ${shown}` };
    }
    default:
      return unreachable(srv);
  }
}

/** A finding for an SRV presence rule: pass when usable, `violated` when absent or ".", unknown on error. */
export function presenceFinding<Id extends string>(rule: Id, service: ServiceResolution, violated: Status, presence = srvPresence(service)): Finding<Id> {
  switch (presence.state) {
    case 'usable':
      return { rule, status: 'pass', name: service.owner, message: `${presence.summary}.` };
    case 'error':
      return { rule, status: 'unknown', name: service.owner, message: `${presence.summary}.`, reason: presence.reason };
    default:
      return { rule, status: violated, name: service.owner, message: `${presence.summary}.` };
  }
}

/** `ports`: every usable SRV record must use `port`. One finding for the set. */
export function portFinding<Id extends string>(rule: Id, service: ServiceResolution, port: number): Finding<Id> | undefined {
  const usable = srvRecords(service.srv).filter((r) => !isRootTarget(r.target));
  if (usable.length === 0) return undefined;
  const wrong = usable.filter((r) => r.port !== port);
  if (wrong.length === 0) {
    return { rule, status: 'pass', name: service.owner, message: `Every ${service.owner} SRV record uses port ${port}.` };
  }
  const list = wrong.map((r) => `${r.target} port ${r.port}`).join(', ');
  return { rule, status: 'fail', name: service.owner, message: `${service.owner} SRV uses the wrong port (${list}); it must be ${port}.` };
}

/** Every target needs an A record: pass / warn (AAAA only) / fail (none) / unknown. */
export function addressFindings<Id extends string>(rule: Id, service: ServiceResolution): Finding<Id>[] {
  return service.targets.map((t) => addressFinding(rule, service.owner, t));
}

function addressFinding<Id extends string>(rule: Id, owner: string, t: TargetResolution): Finding<Id> {
  const name = t.target;
  const via = t.a.chain.length > 0 ? ` (via CNAME ${finalName(t.a)})` : '';
  if (t.a.kind === 'answer') {
    const addresses = addressRecords(t.a).map((r) => r.address).join(', ');
    return { rule, status: 'pass', name, message: `SRV target ${name} of ${owner} has A ${addresses}${via}.` };
  }
  if (isUnknown(t.a)) {
    return { rule, status: 'unknown', name, message: `A record of SRV target ${name} of ${owner} could not be checked: ${t.a.detail}${missingDotHint(name, owner)}.`, reason: t.a.detail };
  }
  const aaaa = t.aaaa;
  if (aaaa?.kind === 'answer') {
    const addresses = addressRecords(aaaa).map((r) => r.address).join(', ');
    return { rule, status: 'warn', name, message: `SRV target ${name} of ${owner} has only AAAA ${addresses}${via}, no A record: IPv4-only partners cannot reach it.` };
  }
  if (isUnknown(aaaa)) {
    return {
      rule,
      status: 'unknown',
      name,
      message: `SRV target ${name} of ${owner} has no A record, and its AAAA record could not be checked: ${aaaa.detail}.`,
      reason: aaaa.detail,
    };
  }
  return { rule, status: 'fail', name, message: `SRV target ${name} of ${owner} has no address: ${absenceWord(t.a)}${missingDotHint(name, owner)}.` };
}

export { missingDotHint } from './missing-dot.js';

/** No target may be an alias (RFC 2782). */
export function aliasFindings<Id extends string>(rule: Id, service: ServiceResolution): Finding<Id>[] {
  return service.targets.map((t): Finding<Id> => {
    const name = t.target;
    if (t.a.chain.length > 0) {
      const path = [name, ...t.a.chain.map((h) => h.to)].join(' → ');
      return { rule, status: 'warn', name, message: `SRV target ${name} of ${service.owner} is an alias (CNAME ${path}); RFC 2782 requires the target to be a host name with address records.` };
    }
    if (isUnknown(t.a)) {
      return { rule, status: 'unknown', name, message: `Whether SRV target ${name} of ${service.owner} is an alias could not be checked: ${t.a.detail}.`, reason: t.a.detail };
    }
    return { rule, status: 'pass', name, message: `SRV target ${name} of ${service.owner} is not an alias.` };
  });
}

/** Every target must be the domain itself or lie under it. */
export function domainFindings<Id extends string>(rule: Id, service: ServiceResolution, domain: string): Finding<Id>[] {
  const d = domain.toLowerCase();
  return service.targets.map((t): Finding<Id> => {
    const target = t.target.toLowerCase();
    const inside = nameIsAtOrBelow(target, d);
    return inside
      ? { rule, status: 'pass', name: t.target, message: `SRV target ${t.target} of ${service.owner} lies in ${domain}.` }
      : { rule, status: 'warn', name: t.target, message: `SRV target ${t.target} of ${service.owner} lies outside ${domain}: partners with strict name matching may refuse it, and the edge certificate must carry ${t.target}.` };
  });
}

export type { LookupOutcome };
