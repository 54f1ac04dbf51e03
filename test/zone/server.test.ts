import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DnsClient, type QueryOutcome } from '../../src/dns/client.js';
import { decodeMessage, encodeQuery, type DnsMessage, type QueryType } from '../../src/dns/codec.js';
import type { ServerAddress } from '../../src/dns/server-address.js';
import { EXIT } from '../../src/exit-codes.js';
import { loadZoneFiles } from '../../src/zone/load.js';
import { startZoneServer, type ZoneServer } from '../../src/zone/server.js';
import { zoneRecords, type Zone } from '../../src/zone/zone.js';

const FIXTURES = fileURLToPath(new URL('../../../test/zone/fixtures/', import.meta.url));

function load(...names: string[]): readonly Zone[] {
  const result = loadZoneFiles(names.map((n) => join(FIXTURES, n)));
  if (!result.ok) assert.fail(result.error.message);
  return result.value.zones;
}

function client(address: ServerAddress, forceTcp = false): DnsClient {
  return new DnsClient({ servers: [address], timeoutMs: 1500, retries: 0, recursionDesired: false, forceTcp });
}

async function ask(c: DnsClient, name: string, type: QueryType): Promise<QueryOutcome & { kind: 'response' }> {
  const outcome = await c.query({ name, type });
  if (outcome.kind !== 'response') assert.fail(`${name} ${type}: ${outcome.reason}: ${outcome.detail}`);
  return outcome;
}

const summary = (message: DnsMessage): string[] =>
  message.answers.map((r) => {
    switch (r.type) {
      case 'SRV':
        return `${r.name} SRV ${r.priority} ${r.weight} ${r.port} ${r.target}`;
      case 'A':
      case 'AAAA':
        return `${r.name} ${r.type} ${r.address}`;
      case 'CNAME':
        return `${r.name} CNAME ${r.target}`;
      default:
        return `${r.name} ${r.type}`;
    }
  });

/** Send one datagram and wait for a reply, or undefined after `ms`. */
function udpExchange(address: ServerAddress, payload: Buffer, ms = 300): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(address.family === 6 ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, ms);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message);
    });
    socket.send(payload, address.port, address.host);
  });
}

/** A raw TCP connection collecting framed responses. */
class RawTcp {
  readonly responses: Buffer[] = [];
  closed = false;
  private buffered = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 2 && this.buffered.length >= 2 + this.buffered.readUInt16BE(0)) {
        const length = this.buffered.readUInt16BE(0);
        this.responses.push(this.buffered.subarray(2, 2 + length));
        this.buffered = this.buffered.subarray(2 + length);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(address: ServerAddress): Promise<RawTcp> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: address.host, port: address.port });
      socket.once('connect', () => resolve(new RawTcp(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve) => this.socket.write(bytes, () => resolve()));
  }

  /** Wait until `count` responses arrived or the connection closed, at most `ms`. */
  async until(test: () => boolean, ms = 1000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.max(1, deadline - Date.now()));
      });
    }
  }

  end(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

function framed(message: Buffer): Buffer {
  const out = Buffer.alloc(message.length + 2);
  out.writeUInt16BE(message.length, 0);
  message.copy(out, 2);
  return out;
}

describe('zone server with DnsClient', () => {
  let server: ZoneServer;
  before(async () => {
    server = await startZoneServer(load('fabrikam.com.zone'));
  });
  after(() => server.close());

  it('listens on loopback, UDP and TCP on one OS-chosen port', () => {
    assert.equal(server.address.host, '127.0.0.1');
    assert.equal(server.address.family, 4);
    assert.ok(server.address.port > 0);
  });

  it('answers the federation SRV and its target over UDP', async () => {
    const c = client(server.address);
    try {
      const srv = await ask(c, '_sipfederationtls._tcp.fabrikam.com', 'SRV');
      assert.equal(srv.transport, 'udp');
      assert.equal(srv.message.aa, true);
      assert.deepEqual(summary(srv.message), ['_sipfederationtls._tcp.fabrikam.com SRV 100 1 5061 sip.fabrikam.com']);
      assert.deepEqual(summary((await ask(c, 'sip.fabrikam.com', 'AAAA')).message), ['sip.fabrikam.com AAAA 2001:db8::10']);
      const xmpp = await ask(c, 'xmpp.fabrikam.com', 'A');
      assert.deepEqual(summary(xmpp.message), ['xmpp.fabrikam.com CNAME edge.fabrikam.com', 'edge.fabrikam.com A 192.0.2.11']);
    } finally {
      c.close();
    }
  });

  it('gives NXDOMAIN and NODATA as responses, REFUSED as a failure', async () => {
    const c = client(server.address);
    try {
      const nx = await ask(c, '_sipfederationtls._tcp.nowhere.fabrikam.com', 'SRV');
      assert.equal(nx.message.rcode, 'NXDOMAIN');
      assert.equal(nx.message.authorities[0]?.type, 'SOA');
      const nodata = await ask(c, 'sip.fabrikam.com', 'TXT');
      assert.equal(nodata.message.rcode, 'NOERROR');
      assert.deepEqual(nodata.message.answers, []);
      const refused = await c.query({ name: 'contoso.com', type: 'SOA' });
      assert.equal(refused.kind === 'failure' && refused.reason, 'refused');
    } finally {
      c.close();
    }
  });

  it('sends the large SRV set truncated over UDP and whole over TCP', async () => {
    const name = '_xmpp-server._tcp.big.fabrikam.com';
    const udp = await udpExchange(server.address, encodeQuery(77, { name, type: 'SRV' }, { ednsPayload: 1232, recursionDesired: false }));
    assert.ok(udp !== undefined);
    const decoded = decodeMessage(udp);
    assert.ok(decoded.ok);
    assert.equal(decoded.value.tc, true);
    assert.deepEqual(decoded.value.answers, []);
    const c = client(server.address);
    try {
      const outcome = await ask(c, name, 'SRV');
      assert.equal(outcome.transport, 'tcp');
      assert.equal(outcome.message.tc, false);
      assert.equal(outcome.message.answers.length, 20);
      assert.equal(c.stats.truncated, 1);
    } finally {
      c.close();
    }
  });

  it('answers over TCP only when the client is told so', async () => {
    const c = client(server.address, true);
    try {
      const outcome = await ask(c, 'fabrikam.com', 'SOA');
      assert.equal(outcome.transport, 'tcp');
      assert.equal(outcome.message.answers[0]?.type, 'SOA');
      assert.equal(c.stats.udpQueries, 0);
    } finally {
      c.close();
    }
  });

  it('survives garbage datagrams, answering FORMERR when a header can be read', async () => {
    const before = { ...server.stats };
    assert.equal(await udpExchange(server.address, Buffer.from([1, 2, 3]), 150), undefined);
    const response = encodeQuery(5, { name: 'sip.fabrikam.com', type: 'A' });
    response.writeUInt16BE(0x8000, 2); // QR set: a response, not a query
    assert.equal(await udpExchange(server.address, response, 150), undefined);
    const garbage = Buffer.concat([Buffer.from([0xab, 0xcd, 0x01, 0x00, 0x00, 0x01]), Buffer.alloc(40, 0xff)]);
    const formerr = await udpExchange(server.address, garbage);
    assert.ok(formerr !== undefined);
    assert.equal(formerr.readUInt16BE(0), 0xabcd);
    assert.equal(formerr.readUInt16BE(2) & 0xf, 1);
    assert.equal(server.stats.dropped - before.dropped, 2);
    assert.equal(server.stats.faults, 0);
    const c = client(server.address);
    try {
      assert.deepEqual(summary((await ask(c, 'sip.fabrikam.com', 'A')).message), ['sip.fabrikam.com A 192.0.2.10']);
    } finally {
      c.close();
    }
  });

  it('answers pipelined TCP queries in order on one connection, frames split or joined', async () => {
    const tcp = await RawTcp.open(server.address);
    try {
      const names = ['sip.fabrikam.com', 'edge.fabrikam.com', 'webext.fabrikam.com'];
      await tcp.write(Buffer.concat(names.map((name, i) => framed(encodeQuery(100 + i, { name, type: 'A' })))));
      await tcp.until(() => tcp.responses.length === 3);
      assert.deepEqual(tcp.responses.map((r) => r.readUInt16BE(0)), [100, 101, 102]);
      // One query written an octet at a time, after an empty frame that gets no answer.
      const one = Buffer.concat([framed(Buffer.alloc(0)), framed(encodeQuery(200, { name: 'ns1.fabrikam.com', type: 'A' }))]);
      for (const octet of one) await tcp.write(Buffer.from([octet]));
      await tcp.until(() => tcp.responses.length === 4);
      assert.equal(tcp.responses[3]?.readUInt16BE(0), 200);
      // Garbage in a frame: FORMERR, and the connection stays usable.
      await tcp.write(framed(Buffer.concat([Buffer.from([0x12, 0x34, 0, 0, 0, 1]), Buffer.alloc(20, 0xee)])));
      await tcp.write(framed(encodeQuery(201, { name: 'ns1.fabrikam.com', type: 'A' })));
      await tcp.until(() => tcp.responses.length === 6);
      assert.deepEqual(tcp.responses.slice(4).map((r) => [r.readUInt16BE(0), r.readUInt16BE(2) & 0xf]), [[0x1234, 1], [201, 0]]);
      assert.equal(tcp.closed, false);
    } finally {
      tcp.end();
    }
  });
});

describe('zone server lifecycle', () => {
  it('closes idle TCP connections (RFC 7766 §6.2.3)', async () => {
    const server = await startZoneServer(load('fabrikam.com.zone'), { idleTimeoutMs: 100 });
    try {
      const tcp = await RawTcp.open(server.address);
      await tcp.until(() => tcp.closed, 2000);
      assert.equal(tcp.closed, true);
    } finally {
      await server.close();
    }
  });

  it('drops open connections on close, frees the port, and closes twice without harm', async () => {
    const first = await startZoneServer(load('fabrikam.com.zone'));
    const tcp = await RawTcp.open(first.address);
    await Promise.all([first.close(), first.close()]);
    await tcp.until(() => tcp.closed);
    assert.equal(tcp.closed, true);
    // The same port can be asked for explicitly once it is free.
    const second = await startZoneServer(load('fabrikam.com.zone'), { port: first.address.port });
    try {
      assert.equal(second.address.port, first.address.port);
      const c = client(second.address);
      try {
        assert.equal((await ask(c, 'sip.fabrikam.com', 'A')).message.answers.length, 1);
      } finally {
        c.close();
      }
    } finally {
      await second.close();
    }
  });

  it('serves on ::1 too', async (t) => {
    let server: ZoneServer;
    try {
      server = await startZoneServer(load('fabrikam.com.zone'), { host: '::1' });
    } catch (err) {
      t.skip(`IPv6 loopback unavailable here: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const c = client(server.address);
    try {
      assert.equal(server.address.family, 6);
      const outcome = await ask(c, '_xmpp-server._tcp.big.fabrikam.com', 'SRV');
      assert.equal(outcome.transport, 'tcp');
      assert.equal(outcome.message.answers.length, 20);
    } finally {
      c.close();
      await server.close();
    }
  });

  it('rejects a given port whose TCP side is taken, and lets the UDP side go', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      await assert.rejects(startZoneServer(load('fabrikam.com.zone'), { port }), new RegExp(`cannot listen on TCP 127\\.0\\.0\\.1:${port}: EADDRINUSE`));
      const udp = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(port, '127.0.0.1', resolve);
      });
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('refuses a host that is not loopback', async () => {
    await assert.rejects(startZoneServer([], { host: '0.0.0.0' }), /loopback address, not '0\.0\.0\.0'/);
    await assert.rejects(startZoneServer([], { host: 'localhost' }), /loopback address/);
  });
});

describe('loadZoneFiles', () => {
  it('loads several files, origins from their names, $INCLUDE relative to the includer', () => {
    const result = loadZoneFiles([join(FIXTURES, 'fabrikam.com.zone'), join(FIXTURES, 'include-main.example.zone')]);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.deepEqual(result.value.zones.map((z) => z.origin.text), ['fabrikam.com', 'include-main.example']);
    const included = result.value.zones[1]!;
    assert.deepEqual([...included.nodes.keys()], ['include-main.example', 'ns1.include-main.example', 'ns1.lab.include-main.example', 'after.include-main.example']);
  });

  it('66 for a file that cannot be read, an unreadable $INCLUDE included', () => {
    const missing = loadZoneFiles([join(FIXTURES, 'no-such.zone')]);
    assert.deepEqual(missing.ok ? undefined : missing.error, { message: `cannot read zone file ${join(FIXTURES, 'no-such.zone')}: no such file`, exitCode: EXIT.noInput });
    const include = loadZoneFiles([join(FIXTURES, 'include-missing.example.zone')]);
    assert.equal(include.ok ? undefined : include.error.exitCode, EXIT.noInput);
    assert.match(include.ok ? '' : include.error.message, /include-missing\.example\.zone:3: \$INCLUDE inc\/no-such-file\.inc: not found; looked for \/\S+\/inc\/no-such-file\.inc \(no such file\) and \/\S+\/test\/zone\/fixtures\/inc\/no-such-file\.inc \(no such file\)$/);
    const directory = loadZoneFiles([FIXTURES]);
    assert.equal(directory.ok ? undefined : directory.error.exitCode, EXIT.noInput);
  });

  it('$INCLUDE looks in the working directory first, as BIND and NSD do, then beside the includer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedcheck-include-'));
    const cwd = process.cwd();
    try {
      mkdirSync(join(dir, 'zones'));
      mkdirSync(join(dir, 'run'));
      writeFileSync(join(dir, 'zones', 'inc.example.zone'), '$TTL 60\n@ SOA ns1 hm 1 2 3 4 5\n NS ns1\n$INCLUDE hosts.inc\n');
      writeFileSync(join(dir, 'zones', 'hosts.inc'), 'ns1 A 192.0.2.1\n');
      writeFileSync(join(dir, 'run', 'hosts.inc'), 'ns1 A 192.0.2.99\n');
      const address = (): string[] => {
        const result = loadZoneFiles([join(dir, 'zones', 'inc.example.zone')]);
        if (!result.ok) assert.fail(result.error.message);
        return zoneRecords(result.value.zones[0]!).filter((r) => r.type === 1).map((r) => [...r.rdata].join('.'));
      };
      process.chdir(join(dir, 'run'));
      assert.deepEqual(address(), ['192.0.2.99']);
      process.chdir(dir);
      assert.deepEqual(address(), ['192.0.2.1']);
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('NAME=FILE: the zone given, its SOA must agree', () => {
    const file = join(FIXTURES, 'fabrikam.com.zone');
    const named = loadZoneFiles([{ file, origin: 'fabrikam.com.' }]);
    assert.deepEqual(named.ok ? named.value.zones.map((z) => z.origin.text) : named.error.message, ['fabrikam.com']);
    const wrong = loadZoneFiles([{ file, origin: 'contoso.com' }]);
    assert.equal(wrong.ok ? undefined : wrong.error.exitCode, EXIT.dataError);
    assert.match(wrong.ok ? '' : wrong.error.message, /fabrikam\.com\.zone:\d+: .*the zone was given as contoso\.com: drop 'contoso\.com=' to take the apex from the SOA record$/);
  });

  it('65 for a parse error, naming file and line', () => {
    const file = join(FIXTURES, 'broken-srv.example.zone');
    const result = loadZoneFiles([file]);
    assert.deepEqual(result.ok ? undefined : result.error, { message: `${file}:5: SRV port 70000 out of range (0-65535)`, exitCode: EXIT.dataError });
  });

  it('65 for the same zone loaded twice', () => {
    const file = join(FIXTURES, 'fabrikam.com.zone');
    const result = loadZoneFiles([file, file]);
    assert.deepEqual(result.ok ? undefined : result.error, { message: `${file}: zone fabrikam.com is already loaded from ${file}`, exitCode: EXIT.dataError });
  });
});
