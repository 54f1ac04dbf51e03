import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { formatServer, isLoopback, parseResolver, parseServerAddress, sameHost, type ServerAddress } from '../../src/dns/server-address.js';
import { padQuery } from '../../src/dns/tls-auth.js';
import { decodeRaw, encodeQuery } from '../../src/dns/codec.js';

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

function resolver(text: string): ServerAddress {
  const result = parseResolver(text);
  if (!result.ok) assert.fail(`'${text}' rejected: ${result.error}`);
  return result.value;
}

function resolverError(text: string): string {
  const result = parseResolver(text);
  if (result.ok) assert.fail(`'${text}' accepted as ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('parseResolver and formatServer: plain, tls://, https://', () => {
  test('plain addresses are parseServerAddress', () => {
    assert.deepEqual(resolver('192.0.2.53'), { host: '192.0.2.53', port: 53, family: 4 });
    assert.deepEqual(resolver('[2001:db8::53]:5353'), { host: '2001:db8::53', port: 5353, family: 6 });
  });

  test('tls://ADDR[:port][#name]: port 853 by default; the name is what the certificate must carry', () => {
    assert.deepEqual(resolver('tls://192.0.2.53'), { host: '192.0.2.53', port: 853, family: 4, scheme: 'tls' });
    assert.deepEqual(resolver('TLS://192.0.2.53:8853#DNS.Example.'), { host: '192.0.2.53', port: 8853, family: 4, scheme: 'tls', name: 'dns.example' });
    assert.deepEqual(resolver('tls://[2001:db8::53]#dns.example'), { host: '2001:db8::53', port: 853, family: 6, scheme: 'tls', name: 'dns.example' });
    assert.deepEqual(resolver('tls://2001:db8::53'), { host: '2001:db8::53', port: 853, family: 6, scheme: 'tls' });
    assert.equal(resolver('tls://192.0.2.53#bücher.example').name, 'xn--bcher-kva.example');
  });

  test('https://HOST[:port]/path: an address, or a name with the address after #', () => {
    assert.deepEqual(resolver('https://192.0.2.53/dns-query'), { host: '192.0.2.53', port: 443, family: 4, scheme: 'https', path: '/dns-query' });
    assert.deepEqual(resolver('https://[2001:db8::53]:8443/q?x=1'), { host: '2001:db8::53', port: 8443, family: 6, scheme: 'https', path: '/q?x=1' });
    assert.deepEqual(resolver('https://dns.example/dns-query#192.0.2.53'), { host: '192.0.2.53', port: 443, family: 4, scheme: 'https', name: 'dns.example', path: '/dns-query' });
    assert.deepEqual(resolver('https://dns.example:8443/dns-query#[2001:db8::53]'), { host: '2001:db8::53', port: 8443, family: 6, scheme: 'https', name: 'dns.example', path: '/dns-query' });
  });

  test('bad values say what is wrong', () => {
    assert.match(resolverError('tls://dns.example'), /tls:\/\/ takes an IP address/);
    assert.match(resolverError('tls://192.0.2.53:0'), /bad port/);
    assert.match(resolverError('tls://192.0.2.53#'), /empty name/);
    assert.match(resolverError('tls://192.0.2.53#a..b'), /not a host name/);
    assert.match(resolverError('tls://192.0.2.53#a b'), /spaces or control characters/);
    assert.match(resolverError('tls://192.0.2.53#192.0.2.53'), /leave out #name/);
    assert.match(resolverError('https://dns.example/dns-query'), /does not resolve resolver names/);
    assert.match(resolverError('https://dns.example/dns-query#dns2.example'), /after # comes the IP address/);
    assert.match(resolverError('https://192.0.2.53'), /has no path/);
    assert.match(resolverError('https://192.0.2.53/dns-query#192.0.2.54'), /gives the address already/);
    assert.match(resolverError('https://u:p@192.0.2.53/dns-query'), /no user or password/);
    assert.match(resolverError('https://192.0.2.53/dns-query{?dns}'), /URI template/);
    assert.match(resolverError('https://'), /not a URL/);
    assert.match(resolverError('udp://192.0.2.53'), /unknown scheme udp:\/\//);
  });

  test('formatServer names each server unambiguously, and what it prints parses back to the same server', () => {
    const cases: [string, string][] = [
      ['192.0.2.53', '192.0.2.53:53'],
      ['tls://192.0.2.53', 'tls://192.0.2.53:853'],
      ['tls://[2001:db8::53]:8853#dns.example', 'tls://[2001:db8::53]:8853#dns.example'],
      ['https://192.0.2.53/dns-query', 'https://192.0.2.53/dns-query'],
      ['https://[2001:db8::53]:8443/dns-query', 'https://[2001:db8::53]:8443/dns-query'],
      ['https://dns.example:443/dns-query#192.0.2.53', 'https://dns.example/dns-query#192.0.2.53'],
      ['https://dns.example:8443/q#2001:db8::53', 'https://dns.example:8443/q#2001:db8::53'],
    ];
    for (const [input, shown] of cases) {
      assert.equal(formatServer(resolver(input)), shown, input);
      assert.deepEqual(resolver(shown), resolver(input), shown);
    }
    assert.equal(new Set(cases.map(([input]) => formatServer(resolver(input)))).size, cases.length);
  });
});

describe('padQuery (RFC 8467 §4.1)', () => {
  test('pads an EDNS query to a multiple of 128 octets with the padding option, and leaves others alone', () => {
    for (const name of ['a.example', '_sipfederationtls._tcp.' + 'x'.repeat(60) + '.example', 'x'.repeat(63) + '.' + 'y'.repeat(63) + '.example']) {
      const query = encodeQuery(0x1234, { name, type: 'SRV' }, { ednsPayload: 1232 });
      const padded = padQuery(query);
      assert.equal(padded.length % 128, 0, name);
      assert.ok(padded.length > query.length);
      const decoded = decodeRaw(padded);
      assert.equal(decoded.id, 0x1234);
      assert.equal(decoded.questions?.[0]?.name, name);
      const opt = decoded.additionals?.[0] as { type: string; options?: { code: number; data?: Buffer }[] } | undefined;
      assert.equal(opt?.type, 'OPT');
      assert.equal(opt?.options?.[0]?.code, 12);
    }
    const plain = encodeQuery(1, { name: 'a.example', type: 'A' }, {});
    assert.equal(padQuery(plain), plain);
  });
});
