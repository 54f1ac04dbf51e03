/**
 * The operations rules: the authoritative-mode checks (auth-lame,
 * auth-serial, auth-consistency) over what every name server of a zone said,
 * and the operator's expectations (sipfed-target-expected,
 * xmpp-target-expected) over the records found. Pure functions of the
 * observation, like every other rule.
 */
import { nameKey } from '../../dns/codec.js';
import { addressFamily, canonicalAddress, compareAddresses } from '../../dns/ip-text.js';
import { answerKey, describeAnswer, serverLabel, type AuthoritativeObservation, type AuthServer, type Comparison, type ServerProbe, type ZoneObservation } from '../../lookup/authoritative.js';
import { addressRecords, isRootTarget, srvRecords, type ServiceResolution } from '../../lookup/service.js';
import { isUnknown, type LookupOutcome } from '../../lookup/types.js';
import type { OperationsRuleId } from './catalogue.js';
import { defineRule, type Status, type Finding, type Rule, type ServiceExpectation } from '../types.js';

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/**
 * Servers as a list, addresses of the same NS name(s) together:
 * "ns1.contoso.com (192.0.2.53:53, [2001:db8::53]:53), ns2.contoso.com (198.51.100.53:53)".
 */
export function serverList(servers: readonly AuthServer[]): string {
  const groups = new Map<string, string[]>();
  for (const s of servers) {
    const key = s.names.join('/');
    groups.set(key, [...(groups.get(key) ?? []), s.address]);
  }
  return [...groups.entries()].map(([names, addresses]) => `${names} (${addresses.join(', ')})`).join(', ');
}

// ---------------------------------------------------------------------------
// auth-lame

/**
 * One finding per NS host of every zone involved: pass when each of its
 * addresses answers the zone's SOA authoritatively; fail when any address
 * answered but not authoritatively (REFUSED, SERVFAIL, AA clear, another
 * zone's SOA), or when the resolver says the host has no address at all;
 * unknown when an address did not answer at all. A silence is not evidence:
 * from one vantage point it cannot be told from a filtered path, rate
 * limiting or this machine's own lack of IPv6, and a failure to look up is
 * never a missing record.
 */
function lameFindings(auth: AuthoritativeObservation): Finding<'auth-lame'>[] {
  const findings: Finding<'auth-lame'>[] = auth.zoneErrors.map((e): Finding<'auth-lame'> => ({
    rule: 'auth-lame',
    status: 'unknown',
    name: e.name,
    message: `The zone holding ${e.name} could not be found through the resolver, so its name servers could not be checked: ${e.detail}.`,
    reason: e.detail,
  }));
  for (const zone of auth.zones) {
    if (zone.error !== undefined) {
      findings.push({ rule: 'auth-lame', status: 'unknown', name: zone.zone, message: `The name servers of ${zone.zone} could not be learnt through the resolver: ${zone.error}.`, reason: zone.error });
      continue;
    }
    for (const host of zone.nameservers) findings.push(hostFinding(zone, host.name));
  }
  return findings;
}

function hostFinding(zone: ZoneObservation, name: string): Finding<'auth-lame'> {
  const host = zone.nameservers.find((h) => h.name === name)!;
  const probes = zone.servers.filter((p) => p.server.names.includes(name));
  if (probes.length === 0) {
    const problem = host.problem ?? { kind: 'error' as const, detail: 'no address found' };
    return problem.kind === 'absent'
      ? { rule: 'auth-lame', status: 'fail', name, message: `${name} is listed as a name server of ${zone.zone} but has no address: ${problem.detail}; it can never answer.` }
      : { rule: 'auth-lame', status: 'unknown', name, message: `The address of ${name}, a name server of ${zone.zone}, could not be looked up: ${problem.detail}.`, reason: problem.detail };
  }
  const part = (p: ServerProbe): string => `${p.server.address} ${p.soa.kind === 'authoritative' ? 'answers authoritatively' : p.soa.detail}`;
  // An address this host cannot send to (no IPv6 route, say) is no evidence either way.
  const unreachable = probes.filter((p) => p.soa.kind === 'unreachable');
  const tried = probes.filter((p) => p.soa.kind !== 'unreachable');
  if (tried.length === 0) {
    const detail = unreachable.map(part).join('; ');
    return { rule: 'auth-lame', status: 'unknown', name, message: `${name}, a name server of ${zone.zone}, could not be checked from this host: ${detail}.`, reason: detail };
  }
  const lame = tried.filter((p) => p.soa.kind === 'lame');
  const silent = tried.filter((p) => p.soa.kind === 'silent');
  const good = tried.filter((p) => p.soa.kind === 'authoritative');
  const notChecked = unreachable.length > 0 ? `; not checked from this host: ${unreachable.map(part).join('; ')}` : '';
  const missingFamily = (host.problem !== undefined ? ` (${host.problem.detail})` : '') + notChecked;
  if (lame.length === 0 && silent.length === 0) {
    const serials = [...new Set(good.map((p) => (p.soa.kind === 'authoritative' ? p.soa.serial : 0)))].join(', ');
    return { rule: 'auth-lame', status: 'pass', name, message: `${name} answers authoritatively for ${zone.zone} at ${good.map((p) => p.server.address).join(', ')} (serial ${serials})${missingFamily}.` };
  }
  const status: Status = lame.length > 0 ? 'fail' : 'unknown';
  const detail = tried.map(part).join('; ') + notChecked;
  if (status === 'fail') {
    return { rule: 'auth-lame', status, name, message: `${name} is listed as a name server of ${zone.zone} but does not answer authoritatively for it (lame): ${detail}.` };
  }
  return {
    rule: 'auth-lame',
    status,
    name,
    message: `${name}, a name server of ${zone.zone}, did not answer (lame or unreachable from here; a silence is not proof either way): ${detail}.`,
    reason: silent.map(part).join('; '),
  };
}

// ---------------------------------------------------------------------------
// auth-serial

/** One finding per zone: the SOA serials of the servers that answered authoritatively. */
function serialFindings(auth: AuthoritativeObservation): Finding<'auth-serial'>[] {
  return auth.zones.filter((z) => z.error === undefined).map((zone): Finding<'auth-serial'> => {
    const bySerial = new Map<number, AuthServer[]>();
    for (const probe of zone.servers) {
      if (probe.soa.kind !== 'authoritative') continue;
      bySerial.set(probe.soa.serial, [...(bySerial.get(probe.soa.serial) ?? []), probe.server]);
    }
    if (bySerial.size === 0) {
      const why = `no name server of ${zone.zone} answered authoritatively`;
      return { rule: 'auth-serial', status: 'unknown', name: zone.zone, message: `SOA serials of ${zone.zone} could not be compared: ${why}.`, reason: why };
    }
    const answered = [...bySerial.values()].reduce((n, servers) => n + servers.length, 0);
    if (bySerial.size === 1) {
      const [serial] = bySerial.keys();
      return { rule: 'auth-serial', status: 'pass', name: zone.zone, message: `Every authoritative server of ${zone.zone} (${plural(answered, 'address', 'addresses')}) has SOA serial ${serial}.` };
    }
    const groups = [...bySerial.entries()].map(([serial, servers]) => `${serial} at ${serverList(servers)}`);
    return {
      rule: 'auth-serial',
      status: 'warn',
      name: zone.zone,
      message: `The authoritative servers of ${zone.zone} have different SOA serials, so a change has not reached all of them: ${groups.join('; ')}.`,
    };
  });
}

// ---------------------------------------------------------------------------
// auth-consistency

/** One finding per SRV owner and per target: do the servers of its zone agree? */
function consistencyFindings(auth: AuthoritativeObservation): Finding<'auth-consistency'>[] {
  return auth.comparisons.map(consistencyFinding);
}

function consistencyFinding(c: Comparison): Finding<'auth-consistency'> {
  const what = c.what === 'srv' ? `${c.name} SRV` : `the addresses of ${c.name}`;
  const groups = new Map<string, { text: string; servers: AuthServer[] }>();
  const failed: string[] = [];
  for (const { server, answer } of c.answers) {
    const key = answerKey(answer);
    if (key === undefined) {
      failed.push(`${serverLabel(server)}: ${answer.kind === 'error' ? answer.detail : ''}`);
      continue;
    }
    const group = groups.get(key) ?? { text: describeAnswer(answer), servers: [] };
    group.servers.push(server);
    groups.set(key, group);
  }
  const unasked = failed.length > 0 ? `; no answer to compare from ${failed.join('; ')}` : '';
  if (groups.size > 1) {
    const sides = [...groups.values()].map((g) => `${serverList(g.servers)} ${g.servers.length === 1 ? 'says' : 'say'} ${g.text}`);
    return { rule: 'auth-consistency', status: 'warn', name: c.name, message: `The authoritative servers of ${c.zone} disagree on ${what}: ${sides.join('; ')}${unasked}.` };
  }
  const [only] = groups.values();
  if (only === undefined) {
    const why = c.answers.length === 0 ? `no name server of ${c.zone} answered authoritatively` : failed.join('; ');
    return { rule: 'auth-consistency', status: 'unknown', name: c.name, message: `Whether the servers of ${c.zone} agree on ${what} could not be checked: ${why}.`, reason: why };
  }
  if (failed.length > 0) {
    return {
      rule: 'auth-consistency',
      status: 'unknown',
      name: c.name,
      message: `${serverList(only.servers)} agree${only.servers.length === 1 ? 's' : ''} on ${what} (${only.text})${unasked}.`,
      reason: failed.join('; '),
    };
  }
  return {
    rule: 'auth-consistency',
    status: 'pass',
    name: c.name,
    message: `Every authoritative server of ${c.zone} (${plural(only.servers.length, 'address', 'addresses')}) agrees on ${what}: ${only.text}.`,
  };
}

/** auth-lame, auth-serial, auth-consistency; nothing unless the domain was checked with --authoritative. */
const authoritativeRules = defineRule(['auth-lame', 'auth-serial', 'auth-consistency'], (obs) => {
  const auth = obs.authoritative;
  if (auth === undefined) return [];
  return [...lameFindings(auth), ...serialFindings(auth), ...consistencyFindings(auth)];
});

// ---------------------------------------------------------------------------
// sipfed-target-expected, xmpp-target-expected

const listOf = (items: readonly string[]): string => (items.length === 0 ? 'none' : items.join(', '));

/**
 * Compare one service with what the operator expects: the set of SRV targets
 * (other than ".") must equal the expected targets, and the addresses of
 * those targets must equal the expected addresses, family by family, for the
 * families the operator listed (an expectation of IPv4 addresses only says
 * nothing about AAAA records). Fail names both sides; unknown when a lookup
 * needed for the comparison failed and nothing already differs.
 */
export function expectationFinding<Id extends 'sipfed-target-expected' | 'xmpp-target-expected'>(rule: Id, service: ServiceResolution, expected: ServiceExpectation): Finding<Id> | undefined {
  const wantTargets = [...new Set((expected.targets ?? []).map(nameKey))].sort();
  const wantAddresses = [...new Set((expected.addresses ?? []).map((a) => canonicalAddress(a) ?? a))].sort(compareAddresses);
  if (wantTargets.length === 0 && wantAddresses.length === 0) return undefined;
  const owner = service.owner;
  if (isUnknown(service.srv)) {
    return { rule, status: 'unknown', name: owner, message: `${owner} SRV could not be compared with what is expected: ${service.srv.detail}.`, reason: service.srv.detail };
  }
  const found = [...new Set(srvRecords(service.srv).filter((r) => !isRootTarget(r.target)).map((r) => r.target.toLowerCase()))].sort();
  const foundNote = found.length > 0 ? '' : service.srv.kind === 'answer' ? ' (only the "." target: not available)' : ' (no SRV record)';
  const problems: string[] = [];
  const agreements: string[] = [];
  const unknowns: string[] = [];

  if (wantTargets.length > 0) {
    const missing = wantTargets.filter((t) => !found.includes(t));
    const extra = found.filter((t) => !wantTargets.includes(t));
    if (missing.length === 0 && extra.length === 0) agreements.push(`names the expected target${wantTargets.length === 1 ? '' : 's'} ${listOf(wantTargets)}`);
    else {
      const detail = [missing.length > 0 ? `missing ${listOf(missing)}` : '', extra.length > 0 ? `unexpected ${listOf(extra)}` : ''].filter((s) => s !== '').join(', ');
      problems.push(`expected target${wantTargets.length === 1 ? '' : 's'} ${listOf(wantTargets)}, found ${listOf(found)}${foundNote} (${detail})`);
    }
  }

  if (wantAddresses.length > 0) {
    const families = new Set(wantAddresses.map(addressFamily));
    const foundAddresses = new Map<string, string[]>(); // address → targets
    for (const target of service.targets) {
      if (!found.includes(target.target.toLowerCase())) continue;
      for (const family of families) {
        const outcome: LookupOutcome | undefined = family === 4 ? target.a : target.aaaa;
        const type = family === 4 ? 'A' : 'AAAA';
        if (outcome === undefined) {
          unknowns.push(`${type} of ${target.target} was not looked up`);
          continue;
        }
        if (isUnknown(outcome)) {
          unknowns.push(`${type} of ${target.target}: ${outcome.detail}`);
          continue;
        }
        for (const record of addressRecords(outcome)) {
          if (addressFamily(record.address) !== family) continue;
          const address = canonicalAddress(record.address) ?? record.address;
          foundAddresses.set(address, [...(foundAddresses.get(address) ?? []), target.target]);
        }
      }
    }
    const have = [...foundAddresses.keys()].sort(compareAddresses);
    const missing = wantAddresses.filter((a) => !foundAddresses.has(a));
    const extra = have.filter((a) => !wantAddresses.includes(a));
    const shown = have.length === 0 ? `none${foundNote}` : have.map((a) => `${a} (${foundAddresses.get(a)!.join(', ')})`).join(', ');
    const noun = `address${wantAddresses.length === 1 ? '' : 'es'}`;
    if (extra.length > 0 || (missing.length > 0 && unknowns.length === 0)) {
      const detail = [missing.length > 0 ? `missing ${listOf(missing)}` : '', extra.length > 0 ? `unexpected ${listOf(extra)}` : ''].filter((s) => s !== '').join(', ');
      problems.push(`expected ${noun} ${listOf(wantAddresses)}, found ${shown} (${detail})`);
    } else if (missing.length === 0 && unknowns.length === 0) {
      agreements.push(`resolves to the expected ${noun} ${listOf(wantAddresses)}`);
    }
  }

  if (problems.length > 0) {
    const asExpected = agreements.length > 0 ? `; as expected, it ${agreements.join(' and ')}` : '';
    const notCompared = unknowns.length > 0 ? `; not compared: ${unknowns.join('; ')}` : '';
    return { rule, status: 'fail', name: owner, message: `${owner} does not match what is expected: ${problems.join('; ')}${asExpected}${notCompared}.` };
  }
  if (unknowns.length > 0) {
    const known = agreements.length > 0 ? ` (${agreements.join(' and ')})` : '';
    return { rule, status: 'unknown', name: owner, message: `${owner} could not be fully compared with what is expected${known}: ${unknowns.join('; ')}.`, reason: unknowns.join('; ') };
  }
  return { rule, status: 'pass', name: owner, message: `${owner} ${agreements.join(' and ')}.` };
}

/** sipfed-target-expected and xmpp-target-expected, when the operator stated targets or addresses. */
const expectationRules = defineRule(['sipfed-target-expected', 'xmpp-target-expected'], (obs, exp) => {
  const expect = exp.expect;
  if (expect === undefined) return [];
  const findings: Finding<'sipfed-target-expected' | 'xmpp-target-expected'>[] = [];
  const sipfed = expectationFinding('sipfed-target-expected', obs.sipfed, expect);
  if (sipfed !== undefined) findings.push(sipfed);
  if (expect.xmpp !== undefined && exp.xmpp !== 'off' && obs.xmpp !== undefined) {
    const xmpp = expectationFinding('xmpp-target-expected', obs.xmpp, expect.xmpp);
    if (xmpp !== undefined) findings.push(xmpp);
  }
  return findings;
});

/** The operations rules, in report order. */
export const OPERATIONS_RULES: readonly Rule<OperationsRuleId>[] = [expectationRules, authoritativeRules];
