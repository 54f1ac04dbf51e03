import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { evaluate } from '../../../src/rules/engine.js';
import { judge } from '../../../src/check/check-domain.js';
import { DNSSEC_RULE_IDS } from '../../../src/rules/dnssec/catalogue.js';
import { dnssecSrvFinding } from '../../../src/rules/dnssec/rules.js';
import type { DnssecAnswer } from '../../../src/lookup/dnssec.js';
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

  test("the report leaves dnssec-srv's facts out: its dnssec section and expectations give back the same facts and message", async () => {
    let checked = 0;
    for (const s of DNSSEC_SCENARIOS) {
      const { observation, expectations } = await dnssecObservation(s);
      const evaluated = evaluate(observation, expectations).find((f) => f.rule === 'dnssec-srv');
      const reported = JSON.parse(JSON.stringify(judge({ domain: D, input: D, expectations }, observation))) as ReturnType<typeof judge>;
      const finding = reported.findings.find((f) => f.rule === 'dnssec-srv');
      assert.equal(finding === undefined, evaluated === undefined, s.title);
      if (finding === undefined || evaluated === undefined) continue;
      assert.equal(finding.facts, undefined, `${s.title}: no facts in the report`);
      const section = reported.dnssec!;
      const again = dnssecSrvFinding(reported.domain, { state: section.state, vouchedBy: section.vouchedBy, answers: section.notSecure }, reported.expectations.requireDnssec === true)!;
      assert.deepEqual(again.facts, evaluated.facts, s.title);
      assert.equal(again.message, finding.message, s.title);
      assert.equal(again.status, finding.status, s.title);
      checked += 1;
    }
    assert.ok(checked >= 4, `${checked} scenarios with a dnssec-srv finding`);
  });

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
    assert.deepEqual(dnssec.facts?.bogusAt, [RESOLVER]);
    assert.equal(dnssec.facts?.state, 'bogus');
    for (const f of findings) assert.doesNotMatch(f.message, /missing|absent/i, `${f.rule}: ${f.message}`);
  });

  test('the facts say who vouched and which answers were not secure', async () => {
    const { observation, expectations } = await dnssecObservation(scenario('a secure SRV whose target lies in an unsigned zone is insecure'));
    const f = evaluate(observation, expectations).find((x) => x.rule === 'dnssec-srv')!;
    assert.equal(f.name, D);
    assert.deepEqual(f.facts?.vouchedBy, [RESOLVER]);
    assert.deepEqual(f.facts?.insecure, [`xmpp.${D} A`]);
    assert.deepEqual(f.facts?.insecureAt, [RESOLVER]);
    assert.equal(f.facts?.required, false);
    assert.equal(f.facts?.domain, D);
    // The secure answers are implied by vouchedBy, as in the domain's `dnssec`: not listed again.
    assert.equal(f.facts?.secure, undefined);
    assert.match(f.message, /without AD \(an unsigned zone, or a resolver that does not validate\)/);
  });

  test('answers from several resolvers: each named once, sorted; an answer no server gave is listed, not its server', () => {
    const answers: DnssecAnswer[] = [
      { name: SIP, type: 'SRV', state: 'insecure', server: '127.0.0.9:53' },
      { name: `sip.${D}`, type: 'A', state: 'secure', server: RESOLVER },
      { name: `sip.${D}`, type: 'AAAA', state: 'insecure', server: RESOLVER },
      { name: `xmpp.${D}`, type: 'A', state: 'insecure', server: '127.0.0.9:53' },
      { name: `xmpp.${D}`, type: 'AAAA', state: 'insecure' },
      { name: `_xmpp-server._tcp.${D}`, type: 'SRV', state: 'unknown' },
    ];
    const f = dnssecSrvFinding(D, { state: 'insecure', vouchedBy: [RESOLVER], answers }, true)!;
    assert.equal(f.status, 'fail');
    assert.equal(f.code, 'dnssec-insecure');
    assert.deepEqual(f.facts?.insecureAt, ['127.0.0.1:5300', '127.0.0.9:53']);
    assert.deepEqual(f.facts?.insecure, [`${SIP} SRV`, `sip.${D} AAAA`, `xmpp.${D} A`, `xmpp.${D} AAAA`]);
    assert.deepEqual(f.facts?.unknown, [`_xmpp-server._tcp.${D} SRV`]);
    assert.match(f.message, /^Not DNSSEC-secure: 127\.0\.0\.1:5300, 127\.0\.0\.9:53 answered _sipfederationtls\._tcp\.contoso\.example SRV, sip\.contoso\.example AAAA, .*, and --require-dnssec asks for secure answers\.$/);
    // Could not tell and nothing required: no finding, nothing to build.
    assert.equal(dnssecSrvFinding(D, { state: 'unknown', vouchedBy: [], answers: answers.slice(5) }, false), undefined);
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
    assert.deepEqual(f.facts?.nameservers, { '127.0.0.2:53': 'ns1.contoso.example', '127.0.0.3:53': 'ns2.contoso.example' });
  });

  test('auth-rrsig: a silent server is named with why it gave no answer, in the facts and the reason', async () => {
    const { observation, expectations } = await dnssecObservation(scenario('authoritative: a server that did not answer is not said to leave RRSIGs out: could not tell'));
    const f = evaluate(observation, expectations).find((x) => x.rule === 'auth-rrsig')!;
    assert.equal(f.code, 'rrsig-unknown');
    assert.deepEqual(f.facts?.silentAt, ['127.0.0.3:53']);
    const detail = (f.facts?.silentDetails as Record<string, string>)['127.0.0.3:53'];
    assert.ok(detail !== undefined && detail.length > 0);
    assert.equal(f.reason, `ns2.contoso.example (127.0.0.3:53): ${detail}`);
  });
});
