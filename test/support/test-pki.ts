/**
 * A throwaway PKI for the encrypted-DNS tests, made with the `openssl`
 * command line (Debian package openssl) in a fresh temporary directory: a
 * test CA, and server certificates it signed for a name and 127.0.0.1, for
 * the name only, and one that expired; plus a second CA nobody trusts with
 * its own server certificate. Keys are P-256; nothing here is ever trusted
 * outside the test that made it (only through `--ca`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newDir } from './real-servers.js';

/** The name every test server certificate carries. */
export const TEST_DNS_NAME = 'dns.fedcheck.test';

/** A key and certificate pair on disk. */
export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

/** The files of {@link makeTestPki}. */
export interface TestPki {
  readonly dir: string;
  /** The test CA's certificate: pass it with --ca. */
  readonly ca: string;
  /** Signed by the CA for {@link TEST_DNS_NAME} and IP 127.0.0.1. */
  readonly server: KeyPair;
  /** Signed by the CA for {@link TEST_DNS_NAME} only (no IP address). */
  readonly nameOnly: KeyPair;
  /** Signed by the CA for the name and 127.0.0.1, valid only in January 2020. */
  readonly expired: KeyPair;
  /** Signed by another CA (not passed with --ca) for the name and 127.0.0.1. */
  readonly untrusted: KeyPair;
}

function openssl(args: readonly string[], cwd: string): void {
  const result = spawnSync('/usr/bin/openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${(result.stderr || result.error?.message || '').trim()}`);
}

/** A CA: key, self-signed certificate, and the `openssl ca` database that lets it sign with chosen dates. */
function makeCa(dir: string, cn: string): void {
  mkdirSync(join(dir, 'issued'), { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir/issued',
      'certificate = $dir/ca.pem',
      'private_key = $dir/ca.key',
      'default_md = sha256',
      'policy = anything',
      'unique_subject = no',
      'copy_extensions = none',
      '[anything]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3', '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}

/** A server key and a certificate the CA in `caDir` signed, for `altNames`, valid from `start` to `end` (openssl ca dates) or for 3 days. */
function issue(caDir: string, out: string, altNames: string, dates?: { readonly start: string; readonly end: string }): KeyPair {
  const key = `${out}.key`;
  const cert = `${out}.pem`;
  writeFileSync(`${out}.ext`, ['[ext]', `subjectAltName = ${altNames}`, 'basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature', 'extendedKeyUsage = serverAuth', ''].join('\n'));
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', `${out}.csr`, '-subj', `/CN=${TEST_DNS_NAME}`], caDir);
  openssl(['ca', '-batch', '-config', join(caDir, 'ca.cnf'), '-in', `${out}.csr`, '-out', cert, '-notext', '-extfile', `${out}.ext`, '-extensions', 'ext',
    ...(dates !== undefined ? ['-startdate', dates.start, '-enddate', dates.end] : ['-days', '3'])], caDir);
  return { key, cert };
}

/** Make the PKI (a few hundred ms of openssl). */
export function makeTestPki(): TestPki {
  const dir = newDir('pki');
  const caDir = join(dir, 'ca');
  const otherDir = join(dir, 'other-ca');
  makeCa(caDir, 'fedcheck test CA');
  makeCa(otherDir, 'fedcheck untrusted test CA');
  const both = `DNS:${TEST_DNS_NAME},IP:127.0.0.1`;
  const pki: TestPki = {
    dir,
    ca: join(caDir, 'ca.pem'),
    server: issue(caDir, join(dir, 'server'), both),
    nameOnly: issue(caDir, join(dir, 'name-only'), `DNS:${TEST_DNS_NAME}`),
    expired: issue(caDir, join(dir, 'expired'), both, { start: '20200101000000Z', end: '20200131000000Z' }),
    untrusted: issue(otherDir, join(dir, 'untrusted'), both),
  };
  return pki;
}
