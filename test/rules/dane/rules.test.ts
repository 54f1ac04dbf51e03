import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { evaluate } from '../../../src/rules/engine.js';
import { DANE_SCENARIOS, daneObservation } from './scenarios.js';

const SHOWN = /^(dane-tlsa|sipfed-cert-name|sipfed-cert-expiry|xmpp-cert-name|xmpp-cert-expiry)$/;

describe('dane-tlsa (RFC 7673, RFC 7671, RFC 6698)', () => {
  for (const s of DANE_SCENARIOS) {
    test(s.title, async () => {
      const { observation, expectations } = await daneObservation(s);
      const findings = evaluate(observation, expectations).filter((f) => SHOWN.test(f.rule));
      assert.equal(findings.map((f) => `${f.rule}:${f.status}`).sort().join(' '), s.expected);
      for (const f of findings.filter((x) => x.rule === 'dane-tlsa')) {
        assert.equal(typeof f.facts?.target, 'string', 'dane-tlsa carries the target');
        assert.equal(typeof f.facts?.port, 'number', 'dane-tlsa carries the port');
        assert.match(String(f.facts?.tlsaOwner), /^_\d+\._tcp\./);
        if (f.status === 'unknown') assert.ok(f.reason, 'unknown says why');
        // One finding per target when the TLSA lookup gave nothing to match, else one per address.
        if (f.code === 'tlsa-lookup-unknown' || f.code === 'tlsa-lookup-bogus') assert.equal(typeof f.facts?.lookup, 'object', 'the lookup says why');
        else assert.equal(typeof f.facts?.address, 'string', 'dane-tlsa carries the address');
      }
    });
  }

  const run = async (title: string) => {
    const s = DANE_SCENARIOS.find((x) => x.title === title)!;
    const { observation, expectations } = await daneObservation(s);
    return evaluate(observation, expectations);
  };

  test('an overridden finding is kept, marked, and the DANE finding names it', async () => {
    const findings = await run('a secure matching DANE-EE record, a wrong name: overridden');
    const name = findings.find((f) => f.rule === 'sipfed-cert-name')!;
    assert.equal(name.facts?.overriddenBy, 'dane-tlsa');
    assert.equal(name.facts?.overriddenStatus, 'fail');
    assert.match(name.message, /does not cover .*Overridden \(was fail\).*RFC 7671 §5\.1/);
    const dane = findings.find((f) => f.rule === 'dane-tlsa')!;
    assert.deepEqual(dane.facts?.overrides, ['sipfed-cert-name']);
    assert.equal(dane.facts?.usage, 'DANE-EE');
    assert.match(dane.message, /matches the certificate of sip\.contoso\.example at 192\.0\.2\.10:5061 .*DANE-EE.*overrides sipfed-cert-name/);
    // The trust finding is PKIX's, not overridden.
    assert.equal(findings.find((f) => f.rule === 'sipfed-cert-trust')?.facts?.overriddenBy, undefined);
  });

  test('messages say what was found', async () => {
    const message = async (title: string): Promise<string> => (await run(title)).find((f) => f.rule === 'dane-tlsa')!.message;
    assert.match(await message('secure records that match nothing'), /None of the 2 usable secure TLSA records .*does not match.*must be in the chain as sent/);
    assert.match(await message('a matching record over an insecure SRV answer'), /the SRV answer .* is insecure: the records cannot be trusted .*RFC 7673 §3.*; it would match/);
    assert.match(await message('a matching record in an unsigned zone'), /the TLSA answer is insecure/);
    assert.match(await message('a matching record, the target address insecure'), /the target's address answers are insecure/);
    assert.match(await message('secure records, none usable'), /none is usable.*unknown certificate usage 4.*SHA2-256 data of 2 octets/);
    assert.match(await message('a secure DANE-TA record for the intermediate sent, the right name'), /matches "CN=fedcheck Test Intermediate CA" in the chain sip\.contoso\.example at 192\.0\.2\.10:5061 sends/);
    assert.match(await message('a secure DANE-TA record for the intermediate sent, a wrong name: no match, not overridden'), /it matches, but the certificate names none of sip\.contoso\.example .*RFC 7671 §7/);
    assert.match(await message('a matching SHA2-256 record beside a wrong SHA2-512 one: agility ignores the weaker'), /ignored: the set also holds SHA2-512 records for DANE-EE SPKI.*RFC 7671 §9.*it would match/);
    assert.match(await message('a secure PKIX-TA record for the root not sent'), /the trust anchor "CN=fedcheck Test Root CA" \(from the trust store, not sent\)/);
    assert.match(await message('the TLSA lookup timed out: unknown, never absent'), /Could not tell .*timeout/);
    assert.match(
      await message('the TLSA lookup failed validation (SERVFAIL that CD=1 lifts): fail, never absent'),
      /^The TLSA answer for _5061\._tcp\.sip\.contoso\.example is bogus: DNSSEC validation failed at 192\.0\.2\.53:53 .*must not connect to sip\.contoso\.example \(RFC 6698 §4\.1\)\.$/,
    );
  });

  test('the facts say which names were checked and which one the certificate carries', async () => {
    const f = (await run('a secure DANE-TA record for the intermediate sent, the right name')).find((x) => x.rule === 'dane-tlsa')!;
    assert.deepEqual(f.facts?.names, ['sip.contoso.example']);
    assert.equal(f.facts?.matchedName, 'sip.contoso.example');
    assert.equal(f.facts?.baseDomain, 'sip.contoso.example');
    assert.equal(f.facts?.serverName, 'sip.contoso.example');
    const agile = (await run('a matching SHA2-256 record beside a wrong SHA2-512 one: agility ignores the weaker')).find((x) => x.rule === 'dane-tlsa')!;
    assert.deepEqual((agile.facts?.records as { supersededBy: string | null }[]).map((r) => r.supersededBy), ['SHA2-512', null]);
  });

  test('a secure alias (RFC 7671 §7): the expanded name is the base domain, the SNI and the primary name', async () => {
    const f = (await run('a secure alias: a DANE-TA record, the certificate for the expanded name (sent as SNI) names only it')).find((x) => x.rule === 'dane-tlsa')!;
    assert.equal(f.facts?.baseDomain, 'edge.provider.example');
    assert.equal(f.facts?.serverName, 'edge.provider.example');
    assert.deepEqual(f.facts?.names, ['edge.provider.example', 'sip.contoso.example']);
    assert.equal(f.facts?.matchedName, 'edge.provider.example');
    assert.match(f.message, /TLSA base domain is edge\.provider\.example, the securely CNAME-expanded name of sip\.contoso\.example \(RFC 7671 §7\): sent as SNI .*names edge\.provider\.example/);
    const refused = (await run('a secure alias whose server refuses the expanded name as SNI')).find((x) => x.rule === 'dane-tlsa')!;
    assert.equal(refused.code, 'tlsa-sni-failed');
    assert.match(refused.message, /not with edge\.provider\.example, the TLSA base domain DANE partners send .*unrecognized name/);
  });

  test('without --probe the DANE rule finds nothing', async () => {
    const { observation, expectations } = await daneObservation(DANE_SCENARIOS[0]!);
    const { probe: _probe, ...withoutProbe } = observation;
    assert.deepEqual(evaluate(withoutProbe, expectations).filter((f) => f.rule === 'dane-tlsa'), []);
  });
});
