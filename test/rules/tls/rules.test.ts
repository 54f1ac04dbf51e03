import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { evaluate } from '../../../src/rules/engine.js';
import { TLS_RULE_IDS } from '../../../src/rules/tls/catalogue.js';
import { coveringName } from '../../../src/rules/tls/names.js';
import { TLS_SCENARIOS, tlsObservation } from './scenarios.js';

const TLS_IDS: ReadonlySet<string> = new Set(TLS_RULE_IDS);

describe('TLS probe rules', () => {
  for (const s of TLS_SCENARIOS) {
    test(s.title, async () => {
      const { observation, expectations } = await tlsObservation(s);
      const findings = evaluate(observation, expectations).filter((f) => TLS_IDS.has(f.rule));
      assert.equal(findings.map((f) => `${f.rule}:${f.status}`).sort().join(' '), s.expected);
      for (const f of findings) {
        assert.equal(typeof f.facts?.address, 'string', `${f.rule} carries the address`);
        assert.equal(typeof f.facts?.port, 'number', `${f.rule} carries the port`);
        if (f.status === 'unknown') assert.ok(f.reason, `${f.rule} unknown says why`);
      }
    });
  }

  test('without --probe the TLS rules find nothing', async () => {
    const { observation, expectations } = await tlsObservation({ title: '', services: [], expected: '' });
    const { probe: _probe, ...withoutProbe } = observation;
    assert.deepEqual(evaluate(withoutProbe, expectations).filter((f) => TLS_IDS.has(f.rule)), []);
  });

  test('messages say what was found', async () => {
    const only = async (title: string, rule: string): Promise<string> => {
      const s = TLS_SCENARIOS.find((x) => x.title === title)!;
      const { observation, expectations } = await tlsObservation(s);
      return evaluate(observation, expectations).find((f) => f.rule === rule && f.status !== 'pass' && f.status !== 'info')!.message;
    };
    assert.match(await only('the name only in the CN', 'sipfed-cert-name'), /only in its subject CN/);
    assert.match(await only('XMPP certificate for the SRV target only', 'xmpp-cert-name'), /covers only the SRV target .*RFC 7673/);
    assert.match(await only('untrusted chain: missing-intermediate', 'sipfed-cert-trust'), /missing intermediate/);
    assert.match(await only('untrusted chain: unknown-ca', 'sipfed-cert-trust'), /unknown CA/);
    assert.match(await only('untrusted chain: self-signed', 'sipfed-cert-trust'), /self-signed/);
    assert.match(await only('untrusted chain: expired', 'sipfed-cert-trust'), /expired/);
    assert.match(await only('XMPP stream-error', 'xmpp-starttls'), /stream-error|host-unknown/);
    assert.match(await only('TLS 1.0 only', 'sipfed-tls-version'), /only TLSv1\b/);
    assert.match(await only('expiring within 30 days', 'sipfed-cert-expiry'), /expires in 12 days/);
  });
});

describe('certificate name matching (RFC 9525 §6.3)', () => {
  const cases: [readonly string[], string, string | undefined][] = [
    [['sip.contoso.com'], 'SIP.contoso.com.', 'sip.contoso.com'],
    [['*.contoso.com'], 'sip.contoso.com', '*.contoso.com'],
    [['*.contoso.com'], 'contoso.com', undefined],
    [['*.contoso.com'], 'a.sip.contoso.com', undefined],
    [['*.com'], 'contoso.com', undefined],
    [['s*.contoso.com'], 'sip.contoso.com', undefined],
    [[], 'sip.contoso.com', undefined],
  ];
  for (const [names, host, expected] of cases) test(`${JSON.stringify(names)} ${host}`, () => assert.equal(coveringName(names, host), expected));
});
