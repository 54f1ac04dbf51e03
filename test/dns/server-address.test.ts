import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { formatServer, isLoopback, parseServerAddress, sameHost, type ServerAddress } from '../../src/dns/server-address.js';

function parsed(text: string, defaultPort?: number): ServerAddress {
  const result = parseServerAddress(text, defaultPort);
  if (!result.ok) assert.fail(`'${text}' rejected: ${result.error}`);
  return result.value;
}

function rejected(text: string): string {
  const result = parseServerAddress(text);
  if (result.ok) assert.fail(`'${text}' accepted as ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('parseServerAddress', () => {
  test('IPv4, with and without a port', () => {
    assert.deepEqual(parsed('192.0.2.53'), { host: '192.0.2.53', port: 53, family: 4 });
    assert.deepEqual(parsed('192.0.2.53:5353'), { host: '192.0.2.53', port: 5353, family: 4 });
    assert.deepEqual(parsed('  127.0.0.1:1  '), { host: '127.0.0.1', port: 1, family: 4 });
    assert.deepEqual(parsed('192.0.2.53', 5300), { host: '192.0.2.53', port: 5300, family: 4 });
    assert.deepEqual(parsed('192.0.2.53:65535'), { host: '192.0.2.53', port: 65535, family: 4 });
  });

  test('IPv6 bare, bracketed, bracketed with a port', () => {
    assert.deepEqual(parsed('2001:db8::53'), { host: '2001:db8::53', port: 53, family: 6 });
    assert.deepEqual(parsed('::1'), { host: '::1', port: 53, family: 6 });
    assert.deepEqual(parsed('[2001:db8::53]'), { host: '2001:db8::53', port: 53, family: 6 });
    assert.deepEqual(parsed('[2001:db8::53]:8053'), { host: '2001:db8::53', port: 8053, family: 6 });
    assert.deepEqual(parsed('[::ffff:192.0.2.1]:53'), { host: '::ffff:192.0.2.1', port: 53, family: 6 });
  });

  test('bad ports', () => {
    for (const text of ['192.0.2.53:0', '192.0.2.53:65536', '192.0.2.53:', '192.0.2.53:-1', '192.0.2.53:5x', '192.0.2.53:123456', '[::1]:0', '[::1]:', '[::1]:99999', '192.0.2.53: 53']) {
      assert.match(rejected(text), /bad port|not an/, text);
    }
  });

  test('host names and other non-addresses are rejected', () => {
    for (const text of ['dns.example.com', 'localhost', 'localhost:53', 'example.com:53', '[dns.example.com]:53', '', '256.1.1.1', '192.0.2', '192.0.2.53.1', '[192.0.2.53]:53', '2001:db8::53:53:zz', '[2001:db8::53']) {
      rejected(text);
    }
  });

  test('an IPv6 address with a port but no brackets is the address alone', () => {
    // '2001:db8::53' would be ambiguous with a port; only the bracketed form takes one.
    assert.deepEqual(parsed('2001:db8::5353'), { host: '2001:db8::5353', port: 53, family: 6 });
  });
});

describe('formatServer, isLoopback, sameHost', () => {
  test('formatServer brackets IPv6', () => {
    assert.equal(formatServer({ host: '192.0.2.1', port: 53, family: 4 }), '192.0.2.1:53');
    assert.equal(formatServer({ host: '2001:db8::1', port: 5353, family: 6 }), '[2001:db8::1]:5353');
  });

  test('isLoopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) assert.ok(isLoopback(host), host);
    for (const host of ['192.0.2.1', '::', '2001:db8::1', '::ffff:192.0.2.1', '128.0.0.1']) assert.ok(!isLoopback(host), host);
  });

  test('sameHost compares textual forms of one address', () => {
    assert.ok(sameHost('127.0.0.1', '127.0.0.1'));
    assert.ok(sameHost('::ffff:127.0.0.1', '127.0.0.1'));
    assert.ok(sameHost('2001:db8::1', '2001:0db8:0:0:0:0:0:1'));
    assert.ok(sameHost('2001:DB8::1', '2001:db8::1'));
    assert.ok(sameHost('::1', '0:0:0:0:0:0:0:1'));
    assert.ok(!sameHost('127.0.0.1', '127.0.0.2'));
    assert.ok(!sameHost('2001:db8::1', '2001:db8::2'));
    assert.ok(!sameHost('::1', '127.0.0.1'));
  });
});
