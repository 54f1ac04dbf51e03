import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseSubjectAltName } from '../../src/probe/certificate.js';
import { streamHeader } from '../../src/probe/xmpp.js';

describe('parseSubjectAltName (Node\'s subjectAltName text)', () => {
  test('DNS names, SRVName and XmppAddr otherNames', () => {
    assert.deepEqual(parseSubjectAltName('DNS:target.example.test, othername:SRVName:_xmpp-server.example.test, othername:XmppAddr:example.test'), [
      { type: 'DNS', value: 'target.example.test' },
      { type: 'othername:SRVName', value: '_xmpp-server.example.test' },
      { type: 'othername:XmppAddr', value: 'example.test' },
    ]);
  });
  test('a JSON-quoted value with a comma stays one entry', () => {
    assert.deepEqual(parseSubjectAltName('DNS:"a.test, DNS:evil.test", DNS:b.test'), [
      { type: 'DNS', value: 'a.test, DNS:evil.test' },
      { type: 'DNS', value: 'b.test' },
    ]);
  });
  test('nothing for no extension', () => assert.deepEqual(parseSubjectAltName(undefined), []));
  test('IP addresses are kept under their own type', () => assert.deepEqual(parseSubjectAltName('IP Address:192.0.2.1'), [{ type: 'IP Address', value: '192.0.2.1' }]));
});

test('the s2s stream header escapes the domain', () => {
  assert.equal(
    streamHeader("a'b.test"),
    "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' to='a&#39;b.test' version='1.0'>",
  );
});
