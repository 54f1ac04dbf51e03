/**
 * The operations rules both ways: auth-lame, auth-serial, auth-consistency
 * over hand-built authoritative observations, and sipfed-/xmpp-target-expected
 * over the fake zone. One test per scenario, then the wording: every message
 * names the servers (or both sides of an expectation).
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { observeDomain } from '../../../src/check/check-domain.js';
import { LookupCache } from '../../../src/lookup/cache.js';
import { CATALOGUE } from '../../../src/rules/catalogue.js';
import { OPERATIONS_RULE_IDS } from '../../../src/rules/operations/catalogue.js';
import { evaluate, type Finding } from '../../../src/rules/engine.js';
import { expectationFinding, serverList } from '../../../src/rules/operations/rules.js';
import { DEFAULT_EXPECTATIONS } from '../../../src/rules/types.js';
import { rr, zone } from '../../lookup/fake-dns.js';
import {
  AGREEING,
  authObs,
  comparison,
  data,
  err,
  lame,
  NS1,
  NS1V6,
  NS2,
  NS3,
  nx,
  ok,
  OPERATIONS_SCENARIOS,
  operationsPairs,
  scenarioFindings,
  silent,
  unreachable,
  zoneOf,
} from './scenarios.js';
import { D, EDGE, GOOD_SIP, observe, SIP } from '../scenarios.js';

function only(findings: readonly Finding[], rule: Finding['rule'], name?: string): Finding {
  const matching = findings.filter((f) => f.rule === rule && (name === undefined || f.name === name));
  assert.equal(matching.length, 1, `exactly one ${rule}${name ? ` for ${name}` : ''}, got ${matching.length}`);
  return matching[0]!;
}

describe('operations scenarios', () => {
  for (const s of OPERATIONS_SCENARIOS) {
    test(s.title, async () => {
      assert.equal(await operationsPairs(s), s.findings);
    });
  }

  test('every operations rule id is emitted, as pass and as its catalogue severity', async () => {
    const seen = new Map<string, Set<string>>();
    for (const s of OPERATIONS_SCENARIOS) {
      for (const f of await scenarioFindings(s)) seen.set(f.rule, (seen.get(f.rule) ?? new Set()).add(f.status));
    }
    for (const id of OPERATIONS_RULE_IDS) {
      assert.ok(seen.get(id)?.has('pass'), `${id} passes somewhere`);
      assert.ok(seen.get(id)?.has(CATALOGUE[id].severity), `${id} is ${CATALOGUE[id].severity} somewhere`);
    }
  });

  test('the core rules judge the same observation with or without the authoritative part', async () => {
    const core = (fs: readonly Finding[]): string[] => fs.filter((f) => !f.rule.startsWith('auth-')).map((f) => `${f.rule}:${f.status}:${f.message}`);
    assert.deepEqual(core(await scenarioFindings({ authoritative: AGREEING })), core(await scenarioFindings({})));
  });
});

describe('auth-lame wording', () => {
  test('fail names the NS host, the zone, the address and what it answered', async () => {
    const f = only(await scenarioFindings({ authoritative: authObs([zoneOf([[NS1, ok()], [NS3, lame('answers REFUSED (3 tries)')]])]) }), 'auth-lame', `ns3.${D}`);
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^ns3\.contoso\.example is listed as a name server of contoso\.example but does not answer authoritatively for it \(lame\): 127\.0\.0\.4:53 answers REFUSED \(3 tries\)\.$/);
  });

  test('silent: unknown, says lame or unreachable, carries the reason; never fail', async () => {
    const f = only(await scenarioFindings({ authoritative: authObs([zoneOf([[NS1, ok()], [NS3, silent()]])]) }), 'auth-lame', `ns3.${D}`);
    assert.equal(f.status, 'unknown');
    assert.match(f.message, /lame or unreachable/);
    assert.match(f.message, /127\.0\.0\.4:53 does not answer \(timeout, 3 tries\)/);
    assert.equal(f.reason, '127.0.0.4:53 does not answer (timeout, 3 tries)');
  });

  test('an address this host cannot send to is named as not checked, and is no evidence', async () => {
    const f = only(await scenarioFindings({ authoritative: authObs([zoneOf([[NS1, ok(7)], [NS1V6, unreachable()]])]) }), 'auth-lame');
    assert.equal(f.status, 'pass');
    assert.match(f.message, /not checked from this host: \[::1\]:53 not reachable from this host \(.*ENETUNREACH/);
  });

  test('pass names every address and the serial', async () => {
    const f = only(await scenarioFindings({ authoritative: authObs([zoneOf([[NS1, ok(7)], [NS1V6, ok(7)]])]) }), 'auth-lame');
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'ns1.contoso.example answers authoritatively for contoso.example at 127.0.0.2:53, [::1]:53 (serial 7).');
  });

  test('mixed over two families: each address with what it did', async () => {
    const f = only(await scenarioFindings({ authoritative: authObs([zoneOf([[NS1, ok()], [NS1V6, lame('answers without the AA flag')]])]) }), 'auth-lame');
    assert.equal(f.status, 'fail');
    assert.match(f.message, /127\.0\.0\.2:53 answers authoritatively; \[::1\]:53 answers without the AA flag/);
  });

  test('an NS host with no address at all is a fail naming the host', async () => {
    const obs = authObs([zoneOf([[NS1, ok()]], { nameservers: [{ name: `ns1.${D}`, addresses: ['127.0.0.2'] }, { name: `ns9.${D}`, addresses: [], problem: { kind: 'absent', detail: 'neither A nor AAAA (NXDOMAIN)' } }] })]);
    const f = only(await scenarioFindings({ authoritative: obs }), 'auth-lame', `ns9.${D}`);
    assert.equal(f.status, 'fail');
    assert.match(f.message, /ns9\.contoso\.example is listed as a name server of contoso\.example but has no address: neither A nor AAAA \(NXDOMAIN\)/);
  });
});

describe('auth-serial wording', () => {
  test('warn names each server with its serial', async () => {
    const f = only(await scenarioFindings({ authoritative: authObs([zoneOf([[NS1, ok(2026112502)], [NS1V6, ok(2026112502)], [NS2, ok(2026112501)]])]) }), 'auth-serial');
    assert.equal(f.status, 'warn');
    assert.equal(
      f.message,
      'The authoritative servers of contoso.example have different SOA serials, so a change has not reached all of them: 2026112502 at ns1.contoso.example (127.0.0.2:53, [::1]:53); 2026112501 at ns2.contoso.example (127.0.0.3:53).',
    );
  });

  test('pass says how many addresses agree on which serial; lame servers do not count', async () => {
    const f = only(await scenarioFindings({ authoritative: authObs([zoneOf([[NS1, ok(9)], [NS2, ok(9)], [NS3, lame()]])]) }), 'auth-serial');
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'Every authoritative server of contoso.example (2 addresses) has SOA serial 9.');
  });
});

describe('auth-consistency wording', () => {
  test('SRV disagreement names both sides and their servers', async () => {
    const obs = authObs([zoneOf([[NS1, ok()], [NS2, ok()]])], [comparison(SIP, 'srv', [[NS1, data(`0 0 5061 ${EDGE}`)], [NS2, data(`0 0 5062 ${EDGE}`)]])]);
    const f = only(await scenarioFindings({ authoritative: obs }), 'auth-consistency');
    assert.equal(f.status, 'warn');
    assert.equal(f.name, SIP);
    assert.equal(
      f.message,
      'The authoritative servers of contoso.example disagree on _sipfederationtls._tcp.contoso.example SRV: ns1.contoso.example (127.0.0.2:53) says 0 0 5061 sip.contoso.example; ns2.contoso.example (127.0.0.3:53) says 0 0 5062 sip.contoso.example.',
    );
  });

  test('address disagreement: data against NXDOMAIN, and a server without an answer is named', async () => {
    const obs = authObs([zoneOf([[NS1, ok()], [NS1V6, ok()], [NS2, ok()]])], [comparison(EDGE, 'addresses', [[NS1, data('192.0.2.10')], [NS1V6, err('AAAA: timeout')], [NS2, nx]])]);
    const f = only(await scenarioFindings({ authoritative: obs }), 'auth-consistency');
    assert.equal(f.status, 'warn');
    assert.match(f.message, /disagree on the addresses of sip\.contoso\.example: ns1\.contoso\.example \(127\.0\.0\.2:53\) says 192\.0\.2\.10; ns2\.contoso\.example \(127\.0\.0\.3:53\) says NXDOMAIN/);
    assert.match(f.message, /no answer to compare from ns1\.contoso\.example \(\[::1\]:53\): AAAA: timeout/);
  });

  test('agreement lists the answer', async () => {
    const f = only(await scenarioFindings({ authoritative: AGREEING }), 'auth-consistency', EDGE);
    assert.equal(f.message, 'Every authoritative server of contoso.example (2 addresses) agrees on the addresses of sip.contoso.example: 192.0.2.10.');
  });
});

describe('expectations', () => {
  test('fail names expected and found targets and addresses, and what agrees', async () => {
    const records = [rr.srv(SIP, 0, 0, 5061, `edge.${D}`), rr.a(`edge.${D}`, '192.0.2.99')];
    const f = only(await scenarioFindings({ records, expect: { expect: { targets: [EDGE], addresses: ['192.0.2.10'] } } }), 'sipfed-target-expected');
    assert.equal(f.status, 'fail');
    assert.equal(
      f.message,
      '_sipfederationtls._tcp.contoso.example does not match what is expected: expected target sip.contoso.example, found edge.contoso.example (missing sip.contoso.example, unexpected edge.contoso.example); expected address 192.0.2.10, found 192.0.2.99 (edge.contoso.example) (missing 192.0.2.10, unexpected 192.0.2.99).',
    );
  });

  test('a partial mismatch still says what matched', async () => {
    const f = only(await scenarioFindings({ expect: { expect: { targets: [EDGE], addresses: ['192.0.2.11'] } } }), 'sipfed-target-expected');
    assert.equal(f.status, 'fail');
    assert.match(f.message, /as expected, it names the expected target sip\.contoso\.example\.$/);
  });

  test('pass says both', async () => {
    const f = only(await scenarioFindings({ expect: { expect: { targets: [EDGE], addresses: ['192.0.2.10'] } } }), 'sipfed-target-expected');
    assert.equal(f.message, '_sipfederationtls._tcp.contoso.example names the expected target sip.contoso.example and resolves to the expected address 192.0.2.10.');
  });

  test('no SRV: found none, and says why', async () => {
    const f = only(await scenarioFindings({ records: [], expect: { expect: { targets: [EDGE] } } }), 'sipfed-target-expected');
    assert.match(f.message, /expected target sip\.contoso\.example, found none \(no SRV record\)/);
    const root = only(await scenarioFindings({ records: [rr.srv(SIP, 0, 0, 0, '.')], expect: { expect: { targets: [EDGE] } } }), 'sipfed-target-expected');
    assert.match(root.message, /found none \(only the "\." target: not available\)/);
  });

  test('SRV lookup error → unknown with the reason', async () => {
    const zoneOptions = { failures: { [`${SIP} SRV`]: { kind: 'failure' as const, reason: 'servfail' as const, detail: 'SERVFAIL from 127.0.0.1:5300 (3 tries)', tries: 3 } } };
    const f = only(await scenarioFindings({ zone: zoneOptions, expect: { expect: { targets: [EDGE] } } }), 'sipfed-target-expected');
    assert.equal(f.status, 'unknown');
    assert.equal(f.reason, 'SERVFAIL from 127.0.0.1:5300 (3 tries)');
  });

  test('targets compare case-insensitively and without the trailing dot', async () => {
    const records = [rr.srv(SIP, 0, 0, 5061, 'SIP.Contoso.EXAMPLE'), rr.a(EDGE, '192.0.2.10')];
    const f = only(await scenarioFindings({ records, expect: { expect: { targets: ['sip.contoso.example.'] } } }), 'sipfed-target-expected');
    assert.equal(f.status, 'pass');
  });

  test('IPv6 in the expectation: observeDomain asks AAAA even though A answered, and both families are compared', async () => {
    const records = [...GOOD_SIP, rr.aaaa(EDGE, '2001:db8:0:0::10')];
    const expectations = { ...DEFAULT_EXPECTATIONS, xmpp: 'off' as const, expect: { addresses: ['192.0.2.10', '2001:db8::10'] } };
    const cache = new LookupCache(zone(records));
    const observation = await observeDomain(cache.lookup, D, expectations);
    assert.notEqual(observation.sipfed.targets[0]?.aaaa, undefined, 'AAAA looked up');
    assert.equal(only(evaluate(observation, expectations), 'sipfed-target-expected').status, 'pass');
    const wrong = { ...expectations, expect: { addresses: ['192.0.2.10', '2001:db8::99'] } };
    const f = only(evaluate(await observeDomain(new LookupCache(zone(records)).lookup, D, wrong), wrong), 'sipfed-target-expected');
    assert.equal(f.status, 'fail');
    assert.match(f.message, /found 192\.0\.2\.10 \(sip\.contoso\.example\), 2001:db8::10 \(sip\.contoso\.example\) \(missing 2001:db8::99, unexpected 2001:db8::10\)/);
  });

  test('without an IPv6 expectation no AAAA is asked when A answered', async () => {
    const expectations = { ...DEFAULT_EXPECTATIONS, xmpp: 'off' as const, expect: { addresses: ['192.0.2.10'] } };
    const observation = await observeDomain(new LookupCache(zone(GOOD_SIP)).lookup, D, expectations);
    assert.equal(observation.sipfed.targets[0]?.aaaa, undefined);
  });

  test('AAAA expected but never looked up (a hand-made observation) → unknown, not fail', async () => {
    const { observation } = await observe(GOOD_SIP);
    const f = expectationFinding('sipfed-target-expected', observation.sipfed, { addresses: ['2001:db8::10'] });
    assert.equal(f?.status, 'unknown');
    assert.match(f?.message ?? '', /AAAA of sip\.contoso\.example was not looked up/);
  });

  test('an empty expectation reports nothing', async () => {
    const { observation } = await observe(GOOD_SIP);
    assert.equal(expectationFinding('sipfed-target-expected', observation.sipfed, {}), undefined);
    assert.equal(expectationFinding('sipfed-target-expected', observation.sipfed, { targets: [], addresses: [] }), undefined);
  });
});

describe('serverList', () => {
  test('addresses of the same names together, order kept', () => {
    assert.equal(serverList([NS1, NS2, NS1V6]), 'ns1.contoso.example (127.0.0.2:53, [::1]:53), ns2.contoso.example (127.0.0.3:53)');
    assert.equal(serverList([{ names: ['a.example', 'b.example'], address: '192.0.2.1:53' }]), 'a.example/b.example (192.0.2.1:53)');
  });
});
