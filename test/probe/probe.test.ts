/**
 * probe() and Prober against in-process loopback servers that misbehave:
 * every fault is an outcome, never a throw, and an endpoint is asked once.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { createServer, type Server, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { TrustStore } from '../../src/probe/certificate.js';
import { probe } from '../../src/probe/probe.js';
import { Prober } from '../../src/probe/prober.js';
import { MAX_STREAM_BYTES } from '../../src/probe/xmpp.js';

const store = new TrustStore([], { systemRoots: false });
const servers: Server[] = [];

async function serve(onConnection: (s: Socket) => void): Promise<{ port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((s) => {
    count += 1;
    s.on('error', () => undefined);
    onConnection(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, connections: () => count };
}

after(() => {
  for (const s of servers) s.close();
});

describe('probe outcomes', () => {
  test('a connection reset during the TLS handshake is a tls-error', async () => {
    const { port } = await serve((s) => s.once('data', () => s.resetAndDestroy()));
    const outcome = await probe({ mode: 'tls', address: '127.0.0.1', port, serverName: 'sip.a.test' }, { timeoutMs: 2000, store });
    assert.equal(outcome.kind, 'tls-error');
  });

  test('a reset in the XMPP stream is a failure, not a throw', async () => {
    const { port } = await serve((s) => s.once('data', () => s.resetAndDestroy()));
    const outcome = await probe({ mode: 'xmpp-starttls', address: '127.0.0.1', port, serverName: 'a.test', streamTo: 'a.test' }, { timeoutMs: 2000, store });
    assert.ok(['protocol-error', 'connect-error'].includes(outcome.kind), outcome.kind);
  });

  test('an endless stream header stops at the byte limit', async () => {
    let sent = 0;
    const { port } = await serve((s) => {
      s.write("<stream:stream xmlns='jabber:server' ");
      const t = setInterval(() => {
        if (s.destroyed) return clearInterval(t);
        if (s.writableLength < 1 << 18) {
          s.write('a'.repeat(8192));
          sent += 8192;
        }
      }, 1);
      s.on('close', () => clearInterval(t));
    });
    const outcome = await probe({ mode: 'xmpp-starttls', address: '127.0.0.1', port, serverName: 'a.test', streamTo: 'a.test' }, { timeoutMs: 5000, store });
    assert.equal(outcome.kind, 'protocol-error');
    assert.ok('reason' in outcome && outcome.reason.includes(String(MAX_STREAM_BYTES)));
    assert.ok(sent < 64 * MAX_STREAM_BYTES, `the server got to send ${sent} bytes`);
  });

  test('a server that closes at once, before any stream, is a protocol-error', async () => {
    const { port } = await serve((s) => s.end());
    const outcome = await probe({ mode: 'xmpp-starttls', address: '127.0.0.1', port, serverName: 'a.test', streamTo: 'a.test' }, { timeoutMs: 2000, store });
    assert.equal(outcome.kind, 'protocol-error');
  });
});

describe('Prober', () => {
  test('an endpoint shared by several domains is probed once per run', async () => {
    const { port, connections } = await serve((s) => s.end());
    const prober = new Prober({ timeoutMs: 2000, store, concurrency: 2 });
    const target = { mode: 'tls' as const, address: '127.0.0.1', port, serverName: 'sip.a.test' };
    const [a, b] = await Promise.all([prober.probe(target), prober.probe({ ...target, serverName: 'SIP.a.test' })]);
    assert.equal(a, b);
    // The failed normal handshake is retried once with old versions: two connections, for both asks.
    assert.equal(connections(), 2);
    assert.equal(prober.probes, 1);
  });
});
