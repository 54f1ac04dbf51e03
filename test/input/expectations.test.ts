/**
 * Expectations as the user writes them: the config's `expect` (schema, then
 * names and addresses checked with their JSON path, and normalised), the
 * `--expect-*` flags, and how layers combine.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { main } from '../../src/cli.js';
import { parseConfig } from '../../src/input/config.js';
import { ExitError } from '../../src/errors.js';
import { expectFromFlags, mergeExpect, normaliseExpect, parseExpectedAddress, parseExpectedTarget } from '../../src/input/expectations.js';

const config = (value: unknown): ReturnType<typeof parseConfig> => parseConfig(JSON.stringify(value), 'fedcheck.json');
const rejects = (value: unknown, pattern: RegExp): void => {
  assert.throws(() => config(value), (err: unknown) => err instanceof ExitError && err.exitCode === 64 && pattern.test(err.message));
};
const NO_FLAGS = { expectTarget: [], expectAddress: [], expectXmppTarget: [], expectXmppAddress: [] };

describe('config "expect"', () => {
  test('per domain and in defaults; names become A-labels, addresses canonical', () => {
    const c = config({
      defaults: { expect: { addresses: ['2001:DB8:0:0::10'] } },
      domains: ['plain.example', { domain: 'contoso.com', expect: { targets: ['SIP.Contoso.com.', 'bücher.example'], addresses: ['192.0.2.10'], xmpp: { targets: ['xmpp.contoso.com'] } } }],
    });
    assert.deepEqual(c.defaults?.expect, { addresses: ['2001:db8::10'] });
    const entry = c.domains?.[1];
    assert.ok(typeof entry === 'object');
    assert.deepEqual(entry.expect, { targets: ['sip.contoso.com', 'xn--bcher-kva.example'], addresses: ['192.0.2.10'], xmpp: { targets: ['xmpp.contoso.com'] } });
    assert.equal(c.domains?.[0], 'plain.example');
  });

  test('errors name the JSON path', () => {
    rejects({ domains: [{ domain: 'contoso.com', expect: { addresses: ['192.0.2.300'] } }] }, /^fedcheck\.json: \$\.domains\[0\]\.expect\.addresses\[0\]: "192\.0\.2\.300" is not an IPv4 or IPv6 address$/);
    rejects({ domains: [{ domain: 'contoso.com', expect: { xmpp: { targets: ['ok.example', 'bad..example'] } } }] }, /\$\.domains\[0\]\.expect\.xmpp\.targets\[1\]: "bad\.\.example" has an empty label/);
    rejects({ defaults: { expect: { targets: ['single'] } } }, /\$\.defaults\.expect\.targets\[0\]: "single" is a single label/);
    rejects({ domains: [{ domain: 'contoso.com', expect: { target: ['sip.contoso.com'] } }] }, /\$\.domains\[0\]\.expect\.target: unknown property/);
    rejects({ domains: [{ domain: 'contoso.com', expect: { addresses: '192.0.2.1' } }] }, /\$\.domains\[0\]\.expect\.addresses: must be an array/);
    rejects({ domains: [{ domain: 'contoso.com', expect: { addresses: [''] } }] }, /\$\.domains\[0\]\.expect\.addresses\[0\]: must not be empty/);
  });

  test('an IPv6 zone index is refused (DNS records never carry one)', () => {
    assert.equal(parseExpectedAddress('fe80::1%eth0').ok, false);
    assert.deepEqual(parseExpectedAddress(' 2001:0db8::0001 '), { ok: true, value: '2001:db8::1' });
    assert.deepEqual(parseExpectedTarget('Sip.Contoso.Com.'), { ok: true, value: 'sip.contoso.com' });
  });

  test('normaliseExpect drops duplicates and keeps absent keys absent', () => {
    assert.deepEqual(normaliseExpect({ targets: ['a.example', 'A.example.'] }, '$.x'), { ok: true, value: { targets: ['a.example'] } });
  });
});

describe('flags and layers', () => {
  test('no flag: undefined; each flag fills its place', () => {
    assert.deepEqual(expectFromFlags(NO_FLAGS), { ok: true, value: undefined });
    assert.deepEqual(expectFromFlags({ ...NO_FLAGS, expectTarget: ['sip.contoso.com'], expectXmppAddress: ['192.0.2.10', '192.0.2.10'] }), {
      ok: true,
      value: { targets: ['sip.contoso.com'], xmpp: { addresses: ['192.0.2.10'] } },
    });
  });

  test('a bad value names the flag', () => {
    const bad = expectFromFlags({ ...NO_FLAGS, expectAddress: ['sip.contoso.com'] });
    assert.deepEqual(bad, { ok: false, error: '--expect-address: "sip.contoso.com" is not an IPv4 or IPv6 address' });
  });

  test('mergeExpect: later layers win key by key, XMPP included', () => {
    assert.equal(mergeExpect(undefined, undefined), undefined);
    assert.deepEqual(mergeExpect({ addresses: ['192.0.2.10'], xmpp: { addresses: ['192.0.2.10'] } }, { targets: ['sip.contoso.com'], xmpp: { targets: ['xmpp.contoso.com'] } }, { addresses: ['192.0.2.20'] }), {
      addresses: ['192.0.2.20'],
      targets: ['sip.contoso.com'],
      xmpp: { addresses: ['192.0.2.10'], targets: ['xmpp.contoso.com'] },
    });
  });
});

describe('CLI usage errors (no DNS is asked)', () => {
  const run = async (args: string[]): Promise<{ status: number; stderr: string; stdout: string }> => {
    let stdout = '';
    let stderr = '';
    const status = await main(args, { stdout: { write: (t: string | Uint8Array) => (stdout += typeof t === 'string' ? t : Buffer.from(t).toString('utf8')) }, stderr: { write: (t: string) => (stderr += t) }, env: {} });
    return { status, stderr, stdout };
  };

  test('--expect-* with several domains: 64, one line', async () => {
    const r = await run(['-r', '127.0.0.1:9', '--expect-address', '192.0.2.10', 'a.example', 'b.example']);
    assert.equal(r.status, 64);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^fedcheck: --expect-target, --expect-address, --expect-xmpp-target and --expect-xmpp-address describe one domain; 2 were given/);
  });

  test('a bad --expect-target: 64 naming the flag', async () => {
    const r = await run(['-r', '127.0.0.1:9', '--expect-target', 'under_score.example', 'a.example']);
    assert.equal(r.status, 64);
    assert.match(r.stderr, /^fedcheck: --expect-target: "under_score\.example" has a label with characters other than/);
  });

  test('--port: only with --authoritative, and 1-65535', async () => {
    assert.equal((await run(['-r', '127.0.0.1:9', '--port', '53', 'a.example'])).status, 64);
    const r = await run(['-r', '127.0.0.1:9', '--authoritative', '--port', '70000', 'a.example']);
    assert.equal(r.status, 64);
    assert.match(r.stderr, /--port must be between 1 and 65535/);
  });
});
