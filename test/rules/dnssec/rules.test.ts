import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { evaluate } from '../../../src/rules/engine.js';
import { DNSSEC_RULE_IDS } from '../../../src/rules/dnssec/catalogue.js';
import { D, DNSSEC_SCENARIOS, dnssecObservation, RESOLVER } from './scenarios.js';
import { SIP } from '../scenarios.js';

const IDS: ReadonlySet<string> = new Set(DNSSEC_RULE_IDS);
const scenario = (title: string) => DNSSEC_SCENARIOS.find((s) => s.title === title)!;

describe('DNSSEC rules', () => {
  for (const s of DNSSEC_SCENARIOS) {
    test(s.title, async () => {
      const { observation, expectations } = await dnssecObservation(s);
      const findings = evaluate(observation, expectations).filter((f) => IDS.has(f.rule));
      assert.equal(findings.map((f) => `${f.rule}:${f.status}`).sort().join(' '), s.expected);
      for (const f of findings) if (f.status === 'unknown') assert.ok(f.reason, `${f.rule} unknown says why`);
    });
  }

  test('bogus is never a missing record: the SRV rules say "could not tell", dnssec-srv names the resolver', async () => {
    const { observation, expectations } = await dnssecObservation(scenario('bogus SRV: fail even without --require-dnssec'));
    const findings = evaluate(observation, expectations);
    const srv = findings.find((f) => f.rule === 'sipfed-srv')!;
    assert.equal(srv.status, 'unknown');
    assert.doesNotMatch(srv.message, /absent|missing|NXDOMAIN|NODATA/i);
    const push = findings.find((f) => f.rule === 'push-srv')!;
    assert.equal(push.status, 'unknown');
    const dnssec = findings.find((f) => f.rule === 'dnssec-srv')!;
    assert.match(dnssec.message, new RegExp(`DNSSEC validation failed at ${RESOLVER.replace(/\./g, '\\.')} for ${SIP.replace(/\./g, '\\.')} SRV`));
    assert.match(dnssec.message, /may well exist, but cannot be trusted/);
    assert.deepEqual(dnssec.facts?.bogus, [`${SIP} SRV`]);
    assert.equal(dnssec.facts?.state, 'bogus');
    for (const f of findings) assert.doesNotMatch(f.message, /missing|absent/i, `${f.rule}: ${f.message}`);
  });

  test('the facts say who vouched and which answers were not secure', async () => {
    const { observation, expectations } = await dnssecObservation(scenario('a secure SRV whose target lies in an unsigned zone is insecure'));
    const f = evaluate(observation, expectations).find((x) => x.rule === 'dnssec-srv')!;
    assert.equal(f.name, D);
    assert.deepEqual(f.facts?.vouchedBy, [RESOLVER]);
    assert.deepEqual(f.facts?.insecure, [`xmpp.${D} A`]);
    assert.equal(f.facts?.required, false);
    assert.match(f.message, /without AD \(an unsigned zone, or a resolver that does not validate\)/);
  });

  test('without an assessment (zone mode, --no-recursion, --authoritative) dnssec-srv finds nothing', async () => {
    const { observation, expectations } = await dnssecObservation(scenario('insecure with --require-dnssec: fail'));
    const { dnssec: _dnssec, ...without } = observation;
    assert.deepEqual(evaluate(without, expectations).filter((f) => f.rule === 'dnssec-srv'), []);
  });

  test('auth-rrsig names the server without RRSIGs and the one that signed', async () => {
    const { observation, expectations } = await dnssecObservation(scenario('authoritative: one server serves an unsigned copy of the signed zone'));
    const f = evaluate(observation, expectations).find((x) => x.rule === 'auth-rrsig')!;
    assert.match(f.message, /^ns2\.contoso\.example \(127\.0\.0\.3:53\) answered _sipfederationtls\._tcp\.contoso\.example SRV without RRSIGs though ns1\.contoso\.example \(127\.0\.0\.2:53\) signed it/);
    assert.deepEqual(f.facts?.unsignedAt, ['127.0.0.3:53']);
    assert.deepEqual(f.facts?.signedAt, ['127.0.0.2:53']);
  });
});
