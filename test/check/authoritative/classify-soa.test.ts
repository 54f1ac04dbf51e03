import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { classifySoa, zoneFromSoaResponse } from '../../../src/check/authoritative.js';
import type { DnsMessage, ResourceRecord } from '../../../src/dns/codec.js';
import { message } from '../../lookup/fake-dns.js';

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

test('the zone of a name from its SOA: only an SOA at or above the name, label by label (a dot inside a label is no boundary)', () => {
  const soa = (owner: string): ResourceRecord => ({ type: 'SOA', name: owner, ttl: 60, mname: `ns.${owner}`, rname: `h.${owner}`, serial: 1, minimum: 60 });
  const negative = (owner: string): DnsMessage => ({ ...message([], 'NXDOMAIN'), authorities: [soa(owner)] });
  assert.equal(zoneFromSoaResponse(negative('contoso.example'), 'sip.contoso.example'), 'contoso.example');
  assert.equal(zoneFromSoaResponse(negative('contoso.example'), 'sip\\255.contoso.example'), 'contoso.example');
  // One label "evil.contoso" under example: an SOA of contoso.example says nothing about it.
  assert.equal(zoneFromSoaResponse(negative('contoso.example'), 'evil\\.contoso.example'), undefined);
  assert.equal(zoneFromSoaResponse(negative('example'), 'evil\\.contoso.example'), 'example');
});
