/**
 * `-r tls://…` (RFC 7858) and `-r https://…` (RFC 8484) end to end through
 * the CLI, against Unbound's own DoT and DoH listeners (certificates from a
 * test CA made with openssl): every scenario of fixtures/scenarios.json gives
 * the verdicts it gives over plain DNS from the same Unbound; a certificate
 * that is for another name, from an untrusted CA, expired, or without the
 * address is unknown with the reason (exit 3, never 2); connections are
 * reused; `--compare` works across transports. Misbehaviour no real server
 * shows (closing mid-stream, silence after the handshake, garbage instead of
 * TLS, an oversized DoH body) comes from scripted in-process servers.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { decodeRaw, encodeRaw } from '../../src/dns/codec.js';
import { TlsTransport } from '../../src/dns/tls.js';
import type { RunReport } from '../../src/report/report.js';
import { runFedcheck, type CliRun } from '../support/cli.js';
import { startEncryptedUnbound, type EncryptedUnbound } from '../support/encrypted-dns.js';
import { ensurePackages } from '../support/real-servers.js';
import { DEAD_ZONES, fixtureZones, loadScenarios, profileFixtureZones, testServers, type Scenario } from '../support/servers.js';
import { makeTestPki, TEST_DNS_NAME, type TestPki } from '../support/test-pki.js';

let pki: TestPki;
/** The resolver with the good certificate (name and 127.0.0.1), stubbing the fixture zones to the shared NSD. */
let unbound: EncryptedUnbound;
/** Unbounds serving an expired certificate and one for the name only (no address). */
let expired: EncryptedUnbound;
let nameOnly: EncryptedUnbound;
const scripted: (TcpServer | TlsServer | Http2SecureServer)[] = [];

before(async () => {
  ensurePackages(['unbound', 'openssl']);
  const servers = await testServers();
  pki = makeTestPki();
  const zones = [...fixtureZones(), ...profileFixtureZones()];
  const stubs = [...zones.map((zone) => ({ zone: zone.name, server: servers.auth })), ...DEAD_ZONES.map((zone) => ({ zone, server: servers.dead }))];
  [unbound, expired, nameOnly] = await Promise.all([
    startEncryptedUnbound({ stubs, certificate: pki.server }),
    startEncryptedUnbound({ stubs, certificate: pki.expired }),
    startEncryptedUnbound({ stubs, certificate: pki.nameOnly }),
  ]);
});

after(async () => {
  for (const server of scripted) server.close();
  await Promise.all([unbound?.stop(), expired?.stop(), nameOnly?.stop()]);
});

/** The DoT resolver of `u`, authenticated by `name`, or by its address when `name` is null. */
const tls = (u: EncryptedUnbound, name: string | null = TEST_DNS_NAME): string => `tls://127.0.0.1:${u.tlsPort}${name !== null ? `#${name}` : ''}`;
/** The DoH resolver of `u`, by name (the address after #), or by address when `name` is null. */
const https = (u: EncryptedUnbound, name: string | null = TEST_DNS_NAME): string =>
  name !== null ? `https://${name}:${u.httpsPort}/dns-query#127.0.0.1` : `https://127.0.0.1:${u.httpsPort}/dns-query`;

async function json(args: readonly string[]): Promise<{ run: CliRun; report: RunReport }> {
  const run = await runFedcheck(['--format', 'json', '--timeout', '1500', '--retries', '1', ...args]);
  assert.equal(run.stderr, '', run.stderr);
  return { run, report: JSON.parse(run.stdout) as RunReport };
}

function flags(s: Scenario): string[] {
  return [...(s.expectations.mobility ? [] : ['--no-mobility']), ...(s.expectations.discovery ? [] : ['--no-discovery']), '--xmpp', s.expectations.xmpp];
}

/** Each domain's status and its findings' rule:status, sorted: what must not depend on the transport. */
function verdicts(report: RunReport): Record<string, string[]> {
  return Object.fromEntries(report.domains.map((d) => [d.domain, [d.status, ...d.findings.map((f) => `${f.rule}:${f.status}`).sort()]]));
}

describe('every scenario gives the same verdicts over tls:// and https:// as over plain DNS', () => {
  const file = loadScenarios();
  const groups = new Map<string, Scenario[]>();
  for (const s of file.scenarios) groups.set(flags(s).join(' '), [...(groups.get(flags(s).join(' ')) ?? []), s]);
  for (const group of groups.values()) {
    const names = group.map((s) => s.domain);
    it(`${flags(group[0]!).join(' ')}: ${names.join(' ')}`, async () => {
      const common = [...flags(group[0]!), ...names];
      const plain = await json(['-r', unbound.address, ...common]);
      for (const s of group) assert.equal(plain.report.domains.find((d) => d.domain === s.domain)?.status, s.expected.status, `${s.domain} over plain DNS`);
      for (const resolver of [tls(unbound), https(unbound)]) {
        const encrypted = await json(['-r', resolver, '--ca', pki.ca, ...common]);
        assert.deepEqual(verdicts(encrypted.report), verdicts(plain.report), resolver);
        assert.equal(encrypted.run.code, plain.run.code, resolver);
        assert.deepEqual(encrypted.report.resolvers, [resolver]);
        const q = encrypted.report.queries;
        // Everything went over the encrypted transport, on few connections.
        assert.equal(q.udp + q.tcp, 0, `${resolver}: ${JSON.stringify(q)}`);
        const stats = resolver.startsWith('tls') ? q.tls : q.https;
        // At least one message a lookup; the cache spares repeats.
        assert.ok(stats !== undefined && stats.queries >= q.lookups && q.lookups >= 2 * names.length, JSON.stringify(q));
        assert.ok(stats.handshakes >= 1 && stats.handshakes <= 4, JSON.stringify(stats));
        // Every answer says which transport it came over.
        const lookup = encrypted.report.domains[0]!.records.sipfederationtls.lookup;
        assert.equal(lookup?.transport, lookup?.result === 'error' ? undefined : resolver.slice(0, resolver.indexOf(':')), JSON.stringify(lookup));
      }
    });
  }
});

describe('connection reuse', () => {
  for (const [label, resolver, key] of [['tls', () => tls(unbound), 'tls'], ['https', () => https(unbound), 'https']] as const) {
    it(`${label}: one handshake for every question of many domains`, async () => {
      const domains = ['good.fed.test', 'second.fed.test', 'nosrv.fed.test', 'wildcard.fed.test', 'big.fed.test'];
      const { run, report } = await json(['-r', resolver(), '--ca', pki.ca, ...domains]);
      assert.equal(run.code, 2, run.stdout); // second.fed.test fails, as over plain DNS
      const stats = report.queries[key]!;
      assert.equal(stats.handshakes, 1, JSON.stringify(stats));
      assert.equal(stats.connections, 1, JSON.stringify(stats));
      assert.ok(stats.queries >= 15, JSON.stringify(stats));
      // The big SRV set needs no TCP fallback: a stream has no 1232-octet limit.
      assert.equal(report.queries.truncated, 0);
      assert.ok(report.domains.find((d) => d.domain === 'big.fed.test')!.records.sipfederationtls.srv.length > 20);
    });
  }

  it('the table says how many queries went over TLS on how many connections', async () => {
    const run = await runFedcheck(['-r', tls(unbound), '--ca', pki.ca, 'good.fed.test']);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /\d+ queries \(0 over TCP, \d+ over TLS on 1 connection\)/);
  });
});

describe('--compare across transports', () => {
  it('plain DNS and DNS over TLS and HTTPS from the same resolver agree, each named apart', async () => {
    const resolvers = [unbound.address, tls(unbound), https(unbound, null)];
    const { run, report } = await json([...resolvers.flatMap((r) => ['-r', r]), '--ca', pki.ca, '--compare', 'good.fed.test', 'cname.fed.test', 'second.fed.test']);
    assert.deepEqual(report.resolvers, resolvers);
    assert.equal(new Set(report.resolvers).size, 3);
    for (const d of report.domains) {
      const consistency = d.findings.filter((f) => f.rule === 'resolver-consistency');
      assert.ok(consistency.length > 0 && consistency.every((f) => f.status === 'pass'), `${d.domain}: ${JSON.stringify(consistency)}`);
    }
    const plain = await json(['-r', unbound.address, 'good.fed.test', 'cname.fed.test', 'second.fed.test']);
    assert.equal(run.code, plain.run.code);
    assert.ok(report.queries.tls !== undefined && report.queries.https !== undefined && report.queries.udp > 0);
  });
});

/** Every finding unknown, each reason matching `reason`, exit 3. */
function assertUnknown(run: CliRun, report: RunReport, reason: RegExp): void {
  assert.equal(run.code, 3, run.stdout);
  for (const d of report.domains) {
    assert.equal(d.status, 'unknown');
    for (const f of d.findings) {
      assert.notEqual(f.status, 'fail', JSON.stringify(f));
      if (f.status === 'unknown') assert.match(f.reason ?? '', reason);
    }
  }
}

describe('certificate failures are unknown with the reason, never a verdict on the records', () => {
  it('a certificate for another name', async () => {
    for (const resolver of [tls(unbound, 'other.fedcheck.test'), https(unbound, 'other.fedcheck.test')]) {
      const { run, report } = await json(['-r', resolver, '--ca', pki.ca, 'good.fed.test']);
      assertUnknown(run, report, /certificate for dns\.fedcheck\.test, 127\.0\.0\.1 does not cover other\.fedcheck\.test/);
      // Not asked again and again: the rejection is remembered for the run.
      const stats = report.queries.tls ?? report.queries.https;
      assert.equal(stats?.handshakes, 0);
      assert.equal(stats?.connections, 1, JSON.stringify(stats));
    }
  });

  it('a certificate without the address, when no #name is given', async () => {
    for (const resolver of [tls(nameOnly, null), https(nameOnly, null)]) {
      const { run, report } = await json(['-r', resolver, '--ca', pki.ca, 'good.fed.test']);
      assertUnknown(run, report, /certificate for dns\.fedcheck\.test does not cover 127\.0\.0\.1/);
    }
    // With the name it is fine.
    const { run } = await json(['-r', tls(nameOnly), '--ca', pki.ca, 'good.fed.test']);
    assert.equal(run.code, 0, run.stdout);
  });

  it('a CA that is not trusted (no --ca)', async () => {
    for (const resolver of [tls(unbound), https(unbound)]) {
      const { run, report } = await json(['-r', resolver, 'good.fed.test']);
      assertUnknown(run, report, /certificate is not from a trusted CA \(issuer fedcheck test CA\)|not from a trusted CA/);
    }
  });

  it('an expired certificate', async () => {
    for (const resolver of [tls(expired), https(expired)]) {
      const { run, report } = await json(['-r', resolver, '--ca', pki.ca, 'good.fed.test']);
      assertUnknown(run, report, /certificate has expired/);
    }
  });

  it('a certificate from another CA than the one given with --ca', async () => {
    const other = await startScriptedTls(pki.untrusted, () => undefined);
    const { run, report } = await json(['-r', `tls://127.0.0.1:${other}#${TEST_DNS_NAME}`, '--ca', pki.ca, 'good.fed.test']);
    assertUnknown(run, report, /not from a trusted CA/);
  });
});

/** A TLS server with `pair`'s certificate that does `onSocket` with each connection; resolves to its port. */
async function startScriptedTls(pair: { readonly key: string; readonly cert: string }, onSocket: (socket: Socket) => void): Promise<number> {
  const server = createTlsServer({ key: readFileSync(pair.key), cert: readFileSync(pair.cert) }, onSocket);
  server.on('tlsClientError', () => undefined);
  return listen(server);
}

function listen(server: TcpServer | TlsServer | Http2SecureServer): Promise<number> {
  scripted.push(server);
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)));
}

describe('misbehaving servers are unknown within the timeout', () => {
  const bounded = async (resolver: string, reason: RegExp): Promise<void> => {
    const run = await runFedcheck(['--format', 'json', '--timeout', '400', '--retries', '1', '-r', resolver, '--ca', pki.ca, 'good.fed.test']);
    const report = JSON.parse(run.stdout) as RunReport;
    assertUnknown(run, report, reason);
    // Each lookup: two attempts of 400 ms at most, a few in sequence, plus process start-up.
    assert.ok(run.ms < 6000, `took ${run.ms} ms`);
  };

  it('a DoT server that closes the connection after reading a query', async () => {
    let connections = 0;
    const port = await startScriptedTls(pki.server, (socket) => {
      connections += 1;
      socket.once('data', () => socket.end());
    });
    await bounded(`tls://127.0.0.1:${port}#${TEST_DNS_NAME}`, /TLS connection closed by the server before an answer/);
    assert.ok(connections >= 2);
  });

  it('a DoT server that completes the handshake and never answers', async () => {
    const port = await startScriptedTls(pki.server, (socket) => socket.resume());
    await bounded(`tls://127.0.0.1:${port}#${TEST_DNS_NAME}`, /timeout after 2 tries to tls:\/\/127\.0\.0\.1:\d+#dns\.fedcheck\.test/);
  });

  it('a server that answers garbage instead of TLS', async () => {
    const server = createTcpServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(Buffer.from('HTTP/1.0 400 not TLS at all\r\n\r\n'));
    });
    const port = await listen(server);
    await bounded(`tls://127.0.0.1:${port}#${TEST_DNS_NAME}`, /TLS handshake failed|connection closed|reset/);
    await bounded(`https://${TEST_DNS_NAME}:${port}/dns-query#127.0.0.1`, /TLS handshake failed|connection closed|reset/);
  });

  it('a server that accepts TCP and never starts TLS', async () => {
    const server = createTcpServer((socket) => {
      socket.on('error', () => undefined);
      socket.resume();
    });
    const port = await listen(server);
    await bounded(`tls://127.0.0.1:${port}#${TEST_DNS_NAME}`, /timeout after 2 tries/);
    await bounded(`https://127.0.0.1:${port}/dns-query`, /timeout after 2 tries/);
  });

  it('a DoH server with an oversized body, the wrong media type, or a server error', async () => {
    const seen: { id: number; type: string | undefined; method: string }[] = [];
    const server = createSecureServer({ key: readFileSync(pki.server.key), cert: readFileSync(pki.server.cert) }, (request, response) => {
      const body: Buffer[] = [];
      request.on('data', (chunk: Buffer) => body.push(chunk));
      request.on('end', () => seen.push({ id: Buffer.concat(body).readUInt16BE(0), type: request.headers['content-type'], method: request.method }));
      if (request.url === '/big') {
        response.writeHead(200, { 'content-type': 'application/dns-message' });
        response.end(Buffer.alloc(70_000));
      } else if (request.url === '/html') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<p>hello</p>');
      } else {
        response.writeHead(503);
        response.end();
      }
    });
    server.on('sessionError', () => undefined);
    const port = await listen(server);
    await bounded(`https://127.0.0.1:${port}/big`, /body over 65535 octets/);
    await bounded(`https://127.0.0.1:${port}/html`, /HTTP response is text\/html, not application\/dns-message/);
    await bounded(`https://127.0.0.1:${port}/dns-query`, /HTTP status 503 \(Service Unavailable\)/);
    // RFC 8484 §4.1: POST of application/dns-message, DNS ID 0.
    assert.ok(seen.length >= 6);
    assert.ok(seen.every((q) => q.id === 0 && q.type === 'application/dns-message' && q.method === 'POST'), JSON.stringify(seen));
  });
});

describe('bad -r values and --ca files', () => {
  it('a malformed tls:// or https:// resolver is a one-line usage error, exit 64', async () => {
    for (const [value, message] of [
      ['tls://127.0.0.1:0', /bad port/],
      ['tls://127.0.0.1#', /empty name after #/],
      ['tls://127.0.0.1#127.0.0.2', /leave out #name/],
      ['https://127.0.0.1', /has no path/],
      ['https://127.0.0.1/dns-query#127.0.0.2', /gives the address already/],
      ['https://127.0.0.1/dns-query{?dns}', /URI template/],
      ['quic://127.0.0.1', /unknown scheme quic:\/\//],
    ] as const) {
      const run = await runFedcheck(['-r', value, 'good.fed.test']);
      assert.equal(run.code, 64, `${value}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.split('\n').filter((l) => l !== '').length, 1, run.stderr);
      assert.match(run.stderr, /^fedcheck: bad resolver: /);
      assert.match(run.stderr, message, value);
    }
  });

  it('--ca without an encrypted resolver is a usage error; an unreadable or non-PEM file is 66 or 65', async () => {
    const plain = await runFedcheck(['-r', unbound.address, '--ca', pki.ca, 'good.fed.test']);
    assert.equal(plain.code, 64);
    assert.match(plain.stderr, /--ca only applies with --probe or with tls:\/\/ or https:\/\/ resolvers/);
    const missing = await runFedcheck(['-r', tls(unbound), '--ca', `${pki.dir}/no-such.pem`, 'good.fed.test']);
    assert.equal(missing.code, 66, missing.stderr);
    assert.match(missing.stderr, /cannot read --ca .*ENOENT/);
    const notPem = await runFedcheck(['-r', tls(unbound), '--ca', pki.server.key, 'good.fed.test']);
    assert.equal(notPem.code, 65, notPem.stderr);
    assert.match(notPem.stderr, /holds no PEM certificate/);
  });
});

describe('TlsTransport: pipelining, answers in any order, idle close', () => {
  /** Reads framed queries; after `batch` of them, sends a stray ID, a wrong question, then every answer in reverse order. */
  async function reversingServer(batch: number): Promise<{ port: number; handshakes: () => number; lengths: number[] }> {
    let handshakes = 0;
    const lengths: number[] = [];
    const port = await startScriptedTls(pki.server, (socket) => {
      handshakes += 1;
      let buffered = Buffer.alloc(0);
      const queries: Buffer[] = [];
      const frame = (message: Buffer): Buffer => Buffer.concat([Buffer.from([message.length >> 8, message.length & 0xff]), message]);
      const answer = (query: Buffer, change: { id?: number; name?: string } = {}): Buffer => {
        const q = decodeRaw(query);
        const name = change.name ?? q.questions![0]!.name;
        return encodeRaw({
          type: 'response', id: change.id ?? q.id!, flags: 0x8180, questions: [{ name, type: 'A', class: 'IN' }],
          answers: [{ name, type: 'A', class: 'IN', ttl: 60, data: '192.0.2.1' }],
        });
      };
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= buffered.readUInt16BE(0) + 2) {
          queries.push(buffered.subarray(2, buffered.readUInt16BE(0) + 2));
          lengths.push(buffered.readUInt16BE(0));
          buffered = buffered.subarray(buffered.readUInt16BE(0) + 2);
        }
        if (queries.length < batch) return;
        const first = queries[0]!;
        socket.write(frame(answer(first, { id: (decodeRaw(first).id! + 1) & 0xffff })));
        socket.write(frame(answer(first, { name: 'other.example' })));
        for (const query of queries.splice(0).reverse()) socket.write(frame(answer(query)));
      });
    });
    return { port, handshakes: () => handshakes, lengths };
  }

  it('three queries on one connection, answered in reverse order, each get their own answer; stray and mismatched messages are ignored and counted', async () => {
    const server = await reversingServer(3);
    const transport = new TlsTransport({ ca: [readFileSync(pki.ca, 'utf8')] });
    try {
      const address = { host: '127.0.0.1', port: server.port, family: 4 as const, scheme: 'tls' as const, name: TEST_DNS_NAME };
      const names = ['one.example', 'two.example', 'three.example'];
      const results = await Promise.all(names.map((name) => transport.exchange(address, { name, type: 'A' }, { timeoutMs: 2000, edns: true, recursionDesired: true })));
      assert.deepEqual(results.map((r) => (r.kind === 'message' ? r.message.questions[0]?.name : r.kind)), names);
      assert.equal(transport.stats.handshakes, 1);
      assert.equal(transport.stats.connections, 1);
      assert.equal(server.handshakes(), 1);
      // EDNS(0) padding (RFC 8467 §4.1): every query is a multiple of 128 octets on the wire.
      assert.deepEqual(server.lengths.map((n) => n % 128), [0, 0, 0]);
      // The stray ID matched no query in flight (or, by chance, another one: then it was a mismatch).
      assert.equal(transport.ignored.unknownId + transport.ignored.mismatched, 2, JSON.stringify(transport.ignored));
    } finally {
      transport.close();
    }
  });

  it('a connection left idle is closed, and the next query opens a new one', async () => {
    const server = await reversingServer(1);
    const transport = new TlsTransport({ ca: [readFileSync(pki.ca, 'utf8')], idleMs: 50 });
    try {
      const address = { host: '127.0.0.1', port: server.port, family: 4 as const, scheme: 'tls' as const, name: TEST_DNS_NAME };
      const ask = () => transport.exchange(address, { name: 'one.example', type: 'A' }, { timeoutMs: 2000, edns: true, recursionDesired: true });
      assert.equal((await ask()).kind, 'message');
      assert.equal((await ask()).kind, 'message');
      assert.equal(transport.stats.handshakes, 1, 'reused while not idle');
      await new Promise((done) => setTimeout(done, 300));
      assert.equal((await ask()).kind, 'message');
      assert.equal(transport.stats.handshakes, 2);
      assert.equal(server.handshakes(), 2);
    } finally {
      transport.close();
    }
  });
});
