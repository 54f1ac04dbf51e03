// parseResolvConf lives in src/dns/, but test/dns/ belongs to the transport tests; the brief puts
// this input-parsing test here, next to the other parsers of what the user's machine supplies.
import { strict as assert } from 'node:assert';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseResolvConf, readResolvConf } from '../../src/dns/resolv-conf.js';
import { formatServer } from '../../src/dns/server-address.js';

const servers = (text: string): string[] => parseResolvConf(text).servers.map(formatServer);

describe('parseResolvConf', () => {
  test('nameserver lines, IPv4 and IPv6, in order, port 53', () => {
    assert.deepEqual(servers('nameserver 127.0.0.53\nnameserver ::1\nnameserver 2001:db8::53\n'), ['127.0.0.53:53', '[::1]:53', '[2001:db8::53]:53']);
  });
  test('IPv6 with a zone index is kept', () => assert.deepEqual(servers('nameserver fe80::1%lo\n'), ['[fe80::1%lo]:53']));
  test('# and ; comments, whole-line and trailing; blank lines; tabs', () => {
    assert.deepEqual(servers('# generated\n; old\n\nnameserver\t127.0.0.1 # local\nnameserver 127.0.0.2;x\n#nameserver 127.0.0.3\n'), ['127.0.0.1:53', '127.0.0.2:53']);
  });
  test('bad addresses, host names and other keywords are ignored like the C library does', () => {
    assert.deepEqual(servers('nameserver 300.1.1.1\nnameserver dns.example\nnameserver\nsearch example.com\ndomain example.com\nnameserver 127.0.0.1\n'), ['127.0.0.1:53']);
  });
  test('CRLF line ends', () => assert.deepEqual(servers('nameserver 127.0.0.1\r\nnameserver 127.0.0.2\r\n'), ['127.0.0.1:53', '127.0.0.2:53']));
  test('no nameserver → empty list, no options', () => assert.deepEqual(parseResolvConf('search example.com\n'), { servers: [] }));

  test('options timeout:N (seconds → ms) and attempts:N, among other options', () => {
    const s = parseResolvConf('nameserver 127.0.0.1\noptions edns0 timeout:3 rotate attempts:4\n');
    assert.deepEqual([s.timeoutMs, s.attempts], [3000, 4]);
  });
  test('options on several lines: the last value wins', () => {
    const s = parseResolvConf('options timeout:1\noptions timeout:2 attempts:1\n');
    assert.deepEqual([s.timeoutMs, s.attempts], [2000, 1]);
  });
  test('capped like glibc: timeout 1..30 s, attempts 1..5', () => {
    const s = parseResolvConf('options timeout:99 attempts:0\n');
    assert.deepEqual([s.timeoutMs, s.attempts], [30000, 1]);
    const t = parseResolvConf('options timeout:0 attempts:50\n');
    assert.deepEqual([t.timeoutMs, t.attempts], [1000, 5]);
  });
  test('malformed options are ignored', () => {
    const s = parseResolvConf('options timeout: timeout:x attempts:-1 ndots:2\n');
    assert.equal(s.timeoutMs, undefined);
    assert.equal(s.attempts, undefined);
  });

  test('readResolvConf: an unreadable file → undefined, not a throw', () => {
    assert.equal(readResolvConf(join(tmpdir(), `fedcheck-missing-${process.pid}`, 'resolv.conf')), undefined);
  });
});
