/**
 * The encrypted transports load node:tls / node:http2 with the first
 * exchange; a close() that comes while they load must still end that
 * exchange (a transport made after close() is closed at once), never leave
 * it waiting or open a connection.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:net';
import { test } from 'node:test';
import { EncryptedTransports } from '../../src/dns/encrypted.js';
import type { ServerAddress } from '../../src/dns/server-address.js';

function listen(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, connections: () => connections })));
}

for (const scheme of ['tls', 'https'] as const) {
  test(`${scheme}: close() while the transport loads ends the first exchange as closed, without a connection`, async () => {
    const { server, port, connections } = await listen();
    try {
      const transports = new EncryptedTransports();
      const target: ServerAddress = { host: '127.0.0.1', port, family: 4, scheme, ...(scheme === 'https' ? { path: '/dns-query' } : {}) };
      const pending = transports.exchange(target, { name: 'example.test', type: 'A' }, { timeoutMs: 2000, edns: true, recursionDesired: true });
      transports.close();
      const result = await pending;
      assert.equal(result.kind, 'network');
      assert.match(result.kind === 'network' ? result.detail : '', /closed/);
      assert.equal(connections(), 0);
      assert.deepEqual(transports.stats[scheme], { queries: 0, connections: 0, handshakes: 0 });
    } finally {
      server.close();
    }
  });
}
