import { strict as assert } from 'node:assert';
import { isIP } from 'node:net';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { canonicalAddress, ipFamily, ipv4Octets, ipv6Octets, ipv6Text } from '../../src/dns/ip-text.js';

/** Node's own reading of an address, the oracle: the URL serialiser for IPv6, no zone index. */
function nodeCanonical(text: string): string | undefined {
  const trimmed = text.trim();
  const family = isIP(trimmed);
  if (family === 4) return trimmed;
  if (family !== 6 || trimmed.includes('%')) return undefined;
  return new URL(`http://[${trimmed}]/`).hostname.slice(1, -1);
}

/** Address-like text: the characters of both families, and real addresses with their variants. */
const addressLike = fc.oneof(
  fc.ipV4(),
  fc.ipV4Extended(),
  fc.ipV6(),
  fc.ipV6().map((a) => a.toUpperCase()),
  fc.ipV4().map((a) => `::ffff:${a}`),
  fc.stringMatching(/^[0-9a-fA-F:.]{0,45}$/),
  fc.string({ maxLength: 20 }),
);

describe('ip-text', () => {
  test('reads exactly what Node reads as an IP address, and writes the same canonical text', () => {
    fc.assert(fc.property(addressLike, (text) => assert.equal(canonicalAddress(text), nodeCanonical(text), text)), { numRuns: 5000 });
  });

  test('IPv6 text and octets round-trip; mapped addresses dotted (as BIND prints them) or hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        assert.deepEqual(ipv6Octets(ipv6Text(bytes)), Buffer.from(bytes));
        assert.deepEqual(ipv6Octets(ipv6Text(bytes, { mapped: 'hex' })), Buffer.from(bytes));
      }),
    );
    const mapped = ipv6Octets('::ffff:192.0.2.1')!;
    assert.equal(ipv6Text(mapped), '::ffff:192.0.2.1');
    assert.equal(ipv6Text(mapped, { mapped: 'hex' }), '::ffff:c000:201');
    assert.equal(ipv6Text(ipv6Octets('2001:DB8:0:0:1:0:0:1')!), '2001:db8::1:0:0:1', 'the first longest zero run (RFC 5952 §4.2.3)');
  });

  test('strict: no leading zeros, no zone index, no second ::', () => {
    assert.deepEqual(ipv4Octets('192.0.2.1'), Buffer.from([192, 0, 2, 1]));
    for (const bad of ['010.0.0.1', '1.2.3', '256.0.0.1', ' 1.2.3.4']) assert.equal(ipv4Octets(bad), undefined, bad);
    for (const bad of ['fe80::1%eth0', '1::2::3', '1:2:3:4:5:6:7:8:9', '::1.2.3.4:1', '12345::']) assert.equal(ipv6Octets(bad), undefined, bad);
    assert.deepEqual([ipFamily('192.0.2.1'), ipFamily('2001:db8::1'), ipFamily('sip.contoso.com')], [4, 6, 0]);
  });
});
