import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { assessDnssec, combineDnssec, dnssecReport, DNSSEC_STATES, outcomeDnssec, serviceOutcomes, servicesDnssec, type DnssecState } from '../../src/lookup/dnssec.js';
import type { LookupOutcome } from '../../src/lookup/types.js';

const base = { name: 'x.example', type: 'SRV' as const, chain: [] };
const via = (server: string, authenticated: boolean) => ({ server, transport: 'udp' as const, authenticated });
const answer = (authenticated: boolean, server = '127.0.0.1:53', name = 'x.example'): LookupOutcome => ({ ...base, name, kind: 'answer', records: [], ...via(server, authenticated) });
const bogus = (server = '127.0.0.1:53'): LookupOutcome => ({ ...base, kind: 'error', reason: 'bogus', detail: `DNSSEC validation failed at ${server}`, server });

describe('outcomeDnssec', () => {
  test('answers and authoritative denials: secure with AD, insecure without', () => {
    assert.equal(outcomeDnssec(answer(true)), 'secure');
    assert.equal(outcomeDnssec(answer(false)), 'insecure');
    assert.equal(outcomeDnssec({ ...base, kind: 'nxdomain', ...via('127.0.0.1:53', true) }), 'secure');
    assert.equal(outcomeDnssec({ ...base, kind: 'nodata', ...via('127.0.0.1:53', false) }), 'insecure');
  });
  test('a validation failure is bogus; every other failure and a referral could not tell', () => {
    assert.equal(outcomeDnssec(bogus()), 'bogus');
    for (const reason of ['servfail', 'timeout', 'lame', 'no-soa'] as const) assert.equal(outcomeDnssec({ ...base, kind: 'error', reason, detail: reason }), 'unknown', reason);
    assert.equal(
      outcomeDnssec({ ...base, kind: 'referral', reason: 'referral', detail: 'delegated', delegation: { zone: 'example', servers: [] }, ...via('127.0.0.1:53', true) }),
      'unknown',
    );
  });
});

describe('combineDnssec', () => {
  const cases: readonly (readonly [readonly DnssecState[], DnssecState])[] = [
    [['secure', 'secure'], 'secure'],
    [['secure', 'insecure'], 'insecure'],
    [['secure', 'unknown'], 'unknown'],
    [['unknown', 'insecure'], 'insecure'],
    [['insecure', 'bogus', 'unknown'], 'bogus'],
    [['secure', 'bogus'], 'bogus'],
    [[], 'unknown'],
  ];
  for (const [states, expected] of cases) test(`${states.join(' + ') || 'nothing'} → ${expected}`, () => assert.equal(combineDnssec(states), expected));
  test('order does not matter', () => {
    for (const a of DNSSEC_STATES) for (const b of DNSSEC_STATES) assert.equal(combineDnssec([a, b]), combineDnssec([b, a]));
  });
});

describe('assessDnssec', () => {
  test('who vouched: the servers that set AD, each once, sorted; a bogus answer names where validation failed', () => {
    const a = assessDnssec([answer(true, '127.0.0.2:53'), answer(true, '127.0.0.1:53', 'y.example'), answer(true, '127.0.0.2:53', 'z.example'), bogus('127.0.0.9:53')]);
    assert.equal(a.state, 'bogus');
    assert.deepEqual(a.vouchedBy, ['127.0.0.1:53', '127.0.0.2:53']);
    assert.deepEqual(a.answers[3], { name: 'x.example', type: 'SRV', state: 'bogus', server: '127.0.0.9:53' });
    assert.deepEqual(dnssecReport(a).notSecure, [{ name: 'x.example', type: 'SRV', state: 'bogus', server: '127.0.0.9:53' }]);
  });
  test('an answer without AD vouches for nothing', () => {
    assert.deepEqual(assessDnssec([answer(false)]).vouchedBy, []);
  });
  test('a service covers its SRV and every target address asked, AAAA only when it was', () => {
    const a = answer(true, '127.0.0.1:53', 'sip.example');
    const aaaa = answer(false, '127.0.0.1:53', 'v6.example');
    const service = { owner: 'x.example', srv: answer(true), targets: [{ target: 'sip.example', a, aaaa: undefined }, { target: 'v6.example', a, aaaa }] };
    assert.deepEqual(serviceOutcomes(service), [service.srv, a, a, aaaa]);
    assert.equal(servicesDnssec([service, undefined]).state, 'insecure');
    assert.equal(servicesDnssec([]).state, 'unknown');
  });
});
