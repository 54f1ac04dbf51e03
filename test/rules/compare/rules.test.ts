/**
 * resolver-consistency as a pure rule: what counts as the same answer, what
 * is reported for a disagreement, and that it is silent without --compare.
 * The end-to-end proof (two NSDs serving two views of one zone) is
 * test/integration/compare.test.ts.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { ResourceRecord } from '../../../src/dns/codec.js';
import type { LookupOutcome } from '../../../src/lookup/types.js';
import { CATALOGUE, RULE_IDS } from '../../../src/rules/catalogue.js';
import { answerText } from '../../../src/rules/compare/messages.js';
import { disagreements, resolverConsistency, resolverSays } from '../../../src/rules/compare/rules.js';
import type { DomainObservation, ResolverComparison } from '../../../src/rules/types.js';
import { COMPARE_SCENARIOS, compareFindings } from './scenarios.js';

const D = 'contoso.example';
const OWNER = `_sipfederationtls._tcp.${D}`;
const R1 = '127.0.0.1:5301';
const R2 = '127.0.0.1:5302';
const via = { server: R1, transport: 'udp' as const, authenticated: false };

const srv = (target: string, ttl = 300, port = 5061): ResourceRecord => ({ type: 'SRV', name: OWNER, ttl, priority: 100, weight: 1, port, target });
const answer = (name: string, type: LookupOutcome['type'], records: readonly ResourceRecord[], chain: { from: string; to: string }[] = []): LookupOutcome => ({ kind: 'answer', name, type, records, chain, ...via });
const nxdomain = (name: string, type: LookupOutcome['type']): LookupOutcome => ({ kind: 'nxdomain', name, type, chain: [], ...via });
const nodata = (name: string, type: LookupOutcome['type']): LookupOutcome => ({ kind: 'nodata', name, type, chain: [], ...via });
const error = (name: string, type: LookupOutcome['type'], detail = `timeout after 3 tries to ${R2}`): LookupOutcome => ({ kind: 'error', name, type, chain: [], reason: 'timeout', detail });

function comparison(name: string, type: LookupOutcome['type'], one: LookupOutcome, two: LookupOutcome): ResolverComparison {
  return { name, type, answers: [{ resolver: R1, outcome: one }, { resolver: R2, outcome: two }] };
}

/** An observation with only what the rule reads. */
function observation(comparison?: readonly ResolverComparison[]): DomainObservation {
  const empty = { owner: OWNER, srv: nxdomain(OWNER, 'SRV'), targets: [] };
  return { domain: D, sipfed: empty, xmpp: undefined, ...(comparison !== undefined ? { comparison } : {}) };
}

describe('resolver-consistency', () => {
  test('is in the catalogue as a warn rule', () => {
    assert.ok((RULE_IDS as readonly string[]).includes('resolver-consistency'));
    assert.equal(CATALOGUE['resolver-consistency'].severity, 'warn');
  });

  for (const s of COMPARE_SCENARIOS) {
    test(`scenario: ${s.title} → ${s.findings}`, () => {
      assert.equal(compareFindings(s).map((f) => `${f.rule}:${f.status}`).sort().join(' '), s.findings);
    });
  }

  test('without --compare (no comparison) it reports nothing', () => {
    assert.deepEqual(resolverConsistency(observation()), []);
    assert.deepEqual(resolverConsistency(observation([])), []);
  });

  test('the same records in another order, with other TTLs and in other case agree', () => {
    const c = comparison(OWNER, 'SRV', answer(OWNER, 'SRV', [srv('a.contoso.example', 300), srv('b.contoso.example', 300)]), answer(OWNER, 'SRV', [srv('B.Contoso.Example.', 17), srv('a.contoso.example', 3600)]));
    assert.deepEqual(disagreements([c]), []);
  });

  test('NXDOMAIN and NODATA both say "no such records": they agree', () => {
    assert.deepEqual(disagreements([comparison(OWNER, 'SRV', nxdomain(OWNER, 'SRV'), nodata(OWNER, 'SRV'))]), []);
  });

  test('a resolver that could not tell does not disagree, and is named in the pass', () => {
    const c = comparison(OWNER, 'SRV', answer(OWNER, 'SRV', [srv('sip.contoso.example')]), error(OWNER, 'SRV'));
    assert.deepEqual(disagreements([c]), []);
    const [finding] = resolverConsistency(observation([c]));
    assert.equal(finding?.status, 'pass');
    assert.equal(finding?.name, D);
    assert.match(finding!.message, /127\.0\.0\.1:5302 could not tell for 1 of them/);
  });

  test('different targets: one warn finding naming the record, each resolver and what it said', () => {
    const c = comparison(OWNER, 'SRV', answer(OWNER, 'SRV', [srv('sip-old.contoso.example')]), answer(OWNER, 'SRV', [srv('sip.contoso.example')]));
    const findings = resolverConsistency(observation([c]));
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f?.status, 'warn');
    assert.equal(f?.name, OWNER);
    assert.equal(
      f?.message,
      `Resolvers disagree on ${OWNER} SRV: ${R1} says 100 1 5061 sip-old.contoso.example; ${R2} says 100 1 5061 sip.contoso.example. The verdict follows the first resolver that answered.`,
    );
  });

  test('records against absence, and a port change, are disagreements; only those are reported', () => {
    const sip = `sip.${D}`;
    const agree = comparison(sip, 'A', answer(sip, 'A', [{ type: 'A', name: sip, ttl: 60, address: '192.0.2.1' }]), answer(sip, 'A', [{ type: 'A', name: sip, ttl: 60, address: '192.0.2.1' }]));
    const absent = comparison(OWNER, 'SRV', answer(OWNER, 'SRV', [srv('sip.contoso.example')]), nxdomain(OWNER, 'SRV'));
    const port = comparison(`_xmpp-server._tcp.${D}`, 'SRV', answer(OWNER, 'SRV', [srv('x.contoso.example', 300, 5269)]), answer(OWNER, 'SRV', [srv('x.contoso.example', 300, 5222)]));
    const findings = resolverConsistency(observation([agree, absent, port]));
    assert.deepEqual(findings.map((f) => [f.status, f.name]), [['warn', OWNER], ['warn', `_xmpp-server._tcp.${D}`]]);
    assert.match(findings[0]!.message, /127\.0\.0\.1:5302 says NXDOMAIN \(the name does not exist\)/);
  });

  test('a CNAME chain is part of the answer: the same address behind another alias disagrees', () => {
    const sip = `sip.${D}`;
    const a = { type: 'A' as const, name: `edge.${D}`, ttl: 60, address: '192.0.2.1' };
    const direct = answer(sip, 'A', [{ ...a, name: sip }]);
    const aliased = answer(sip, 'A', [a], [{ from: sip, to: `edge.${D}` }]);
    assert.equal(resolverSays(aliased).kind, 'records');
    assert.match(answerText(resolverSays(aliased).fact), /^CNAME edge\.contoso\.example → 192\.0\.2\.1$/);
    assert.equal(disagreements([comparison(sip, 'A', direct, aliased)]).length, 1);
  });
});
