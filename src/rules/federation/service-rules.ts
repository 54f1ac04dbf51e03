import { nameIsAtOrBelow } from '../../dns/name-text.js';
import { missingDot } from './missing-dot.js';
import { finalName, isUnknown, unreachable, type LookupOutcome } from '../../lookup/types.js';
import { addressRecords, isRootTarget, srvRecords, type ServiceResolution, type TargetResolution } from '../../lookup/service.js';
import { lookupFailure } from '../messages.js';
import type { Finding, Status } from '../types.js';
import { presenceText, say, type PresenceFacts, type SrvFact } from './messages.js';

/** The state of an SRV owner as far as presence rules care: facts, with {@link presenceText} for words. */
export type SrvPresence = PresenceFacts;

/** Classify an SRV lookup: usable records, only the "." target, absent, or could not tell. */
export function srvPresence(service: ServiceResolution): SrvPresence {
  const srv = service.srv;
  const owner = service.owner;
  switch (srv.kind) {
    case 'error':
    case 'referral':
      // A referral says nothing about the records: the name lies in a zone that was not asked.
      return { owner, state: 'error', lookup: lookupFailure(srv) };
    case 'nxdomain':
    case 'nodata':
      return { owner, state: 'absent', absence: srv.kind };
    case 'answer': {
      const usable = srvRecords(srv).filter((r) => !isRootTarget(r.target));
      if (usable.length === 0) return { owner, state: 'root-only' };
      return { owner, state: 'usable', records: usable.map(srvFact) };
    }
    default:
      return unreachable(srv);
  }
}

const srvFact = (r: { readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }): SrvFact => ({ priority: r.priority, weight: r.weight, port: r.port, target: r.target });

/** A finding for an SRV presence rule: pass when usable, `violated` when absent or ".", unknown on error. */
export function presenceFinding<Id extends string>(rule: Id, service: ServiceResolution, violated: Status, presence = srvPresence(service)): Finding<Id> {
  switch (presence.state) {
    case 'usable':
      return say(rule, 'pass', service.owner, 'srv-usable', presence);
    case 'error':
      return say(rule, 'unknown', service.owner, 'srv-unknown', presence, presence.lookup.detail);
    case 'absent':
      return say(rule, violated, service.owner, 'srv-absent', presence);
    case 'root-only':
      return say(rule, violated, service.owner, 'srv-root-only', presence);
  }
}

/** `ports`: every usable SRV record must use `port`. One finding for the set. */
export function portFinding<Id extends string>(rule: Id, service: ServiceResolution, port: number): Finding<Id> | undefined {
  const usable = srvRecords(service.srv).filter((r) => !isRootTarget(r.target));
  if (usable.length === 0) return undefined;
  const wrong = usable.filter((r) => r.port !== port);
  if (wrong.length === 0) return say(rule, 'pass', service.owner, 'port-right', { owner: service.owner, port });
  return say(rule, 'fail', service.owner, 'port-wrong', { owner: service.owner, port, wrong: wrong.map(srvFact) });
}

/** Every target needs an A record: pass / warn (AAAA only) / fail (none) / unknown. */
export function addressFindings<Id extends string>(rule: Id, service: ServiceResolution): Finding<Id>[] {
  return service.targets.map((t) => addressFinding(rule, service.owner, t));
}

function addressFinding<Id extends string>(rule: Id, owner: string, t: TargetResolution): Finding<Id> {
  const target = t.target;
  const cname = t.a.chain.length > 0 ? finalName(t.a) : null;
  if (t.a.kind === 'answer') {
    return say(rule, 'pass', target, 'address-a', { owner, target, addresses: addressRecords(t.a).map((r) => r.address), cname });
  }
  if (isUnknown(t.a)) {
    return say(rule, 'unknown', target, 'address-a-unknown', { owner, target, lookup: lookupFailure(t.a), missingDot: missingDot(target, owner) ?? null }, t.a.detail);
  }
  const aaaa = t.aaaa;
  if (aaaa?.kind === 'answer') {
    return say(rule, 'warn', target, 'address-aaaa-only', { owner, target, addresses: addressRecords(aaaa).map((r) => r.address), cname });
  }
  if (isUnknown(aaaa)) return say(rule, 'unknown', target, 'address-aaaa-unknown', { owner, target, lookup: lookupFailure(aaaa) }, aaaa.detail);
  return say(rule, 'fail', target, 'address-none', { owner, target, absence: t.a.kind, missingDot: missingDot(target, owner) ?? null });
}

/** No target may be an alias (RFC 2782). */
export function aliasFindings<Id extends string>(rule: Id, service: ServiceResolution): Finding<Id>[] {
  const owner = service.owner;
  return service.targets.map((t): Finding<Id> => {
    const target = t.target;
    if (t.a.chain.length > 0) return say(rule, 'warn', target, 'alias-cname', { owner, target, chain: t.a.chain.map((h) => h.to) });
    if (isUnknown(t.a)) return say(rule, 'unknown', target, 'alias-unknown', { owner, target, lookup: lookupFailure(t.a) }, t.a.detail);
    return say(rule, 'pass', target, 'alias-none', { owner, target });
  });
}

/** Every target must be the domain itself or lie under it. */
export function domainFindings<Id extends string>(rule: Id, service: ServiceResolution, domain: string): Finding<Id>[] {
  const d = domain.toLowerCase();
  const owner = service.owner;
  return service.targets.map((t): Finding<Id> => {
    const facts = { owner, target: t.target, domain };
    return nameIsAtOrBelow(t.target.toLowerCase(), d) ? say(rule, 'pass', t.target, 'target-inside', facts) : say(rule, 'warn', t.target, 'target-outside', facts);
  });
}

export type { LookupOutcome };
