import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { classifySoa } from '../../src/check/authoritative.js';

const failure = (reason: 'network' | 'timeout', detail: string) => ({ kind: 'failure' as const, reason, detail, tries: 3 });

test('no route from this host (ENETUNREACH, no IPv6 socket) is unreachable, not silent', () => {
  for (const detail of ['cannot send: send ENETUNREACH [2001:db8::53]:53 (3 tries to [2001:db8::53]:53)', 'cannot send: ERR_SOCKET_DGRAM_NOT_RUNNING', 'TCP EADDRNOTAVAIL: connect']) {
    assert.equal(classifySoa(failure('network', detail), 'contoso.example').kind, 'unreachable', detail);
  }
});

test('a refused connection or a timeout is still silent: the server may be lame or filtered', () => {
  assert.equal(classifySoa(failure('network', 'TCP ECONNREFUSED: connect ECONNREFUSED'), 'contoso.example').kind, 'silent');
  assert.equal(classifySoa(failure('timeout', 'timeout after 3 tries'), 'contoso.example').kind, 'silent');
});
