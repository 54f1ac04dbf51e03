/**
 * Certificates for the TLS probe's tests, made with `openssl` in a fresh
 * temporary directory: a test root CA, an intermediate under it, a second
 * ("other") root nobody trusts, and leaves of every kind the rules tell
 * apart. Dates relative to now, through `openssl ca -startdate/-enddate`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A key and certificate files; `chain` is the certificate followed by what a server should send with it. */
export interface Issued {
  readonly key: string;
  readonly cert: string;
  /** The certificate and what the server sends above it: the intermediate (unless omitted), the other root for its leaves, nothing for a self-signed one. */
  readonly chain: string;
}

/** The leaves the tests use, by kind. */
export interface Pki {
  readonly dir: string;
  /** Trust anchor for `--ca`. */
  readonly rootCa: string;
  readonly intermediate: string;
  issue(name: string, options: LeafOptions): Issued;
}

export interface LeafOptions {
  /** subjectAltName entries in openssl syntax, e.g. `DNS:a.test`; none → no SAN extension. */
  readonly san?: readonly string[];
  readonly cn?: string;
  /** Days from now; negative for the past (default -1 … 365). */
  readonly startDays?: number;
  readonly endDays?: number;
  /** Who signs: the intermediate (default), the other (untrusted) root, or the leaf itself. */
  readonly issuer?: 'intermediate' | 'other' | 'self';
  /** Leave the intermediate out of `chain` (a server that sends only its leaf). */
  readonly omitIntermediate?: boolean;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** openssl's ASN.1 time, YYYYMMDDHHMMSSZ, `days` from now. */
function asn1Time(days: number): string {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

function caDir(dir: string, name: string): string {
  const d = join(dir, name);
  mkdirSync(join(d, 'new'), { recursive: true });
  writeFileSync(join(d, 'index.txt'), '');
  writeFileSync(join(d, 'serial'), `${(Math.floor(Math.random() * 1e6) + 4096).toString(16).padStart(6, '0')}\n`);
  writeFileSync(
    join(d, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = this',
      '[this]',
      `dir = ${d}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir/new',
      'serial = $dir/serial',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      'email_in_dn = no',
      '[any]',
      'commonName = optional',
      '[leaf]',
      'basicConstraints = critical, CA:false',
      'keyUsage = digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth, clientAuth',
      '[sub]',
      'basicConstraints = critical, CA:true',
      'keyUsage = critical, keyCertSign, cRLSign',
      '',
    ].join('\n'),
  );
  return d;
}

/** Make the CA hierarchy in a new temporary directory. */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'fedcheck-pki-'));
  const root = (name: string, cn: string): void =>
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=${cn}`, '-days', '3650', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  root('root', 'fedcheck Test Root CA');
  root('other', 'fedcheck Other Root CA');
  const rootDir = caDir(dir, 'root-ca');
  const otherDir = caDir(dir, 'other-ca');
  const interDir = caDir(dir, 'inter-ca');
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'inter.key', '-out', 'inter.csr', '-subj', '/CN=fedcheck Test Intermediate CA'], dir);
  openssl(['ca', '-batch', '-config', join(rootDir, 'ca.cnf'), '-cert', 'root.pem', '-keyfile', 'root.key', '-in', 'inter.csr', '-out', 'inter.pem', '-extensions', 'sub', '-days', '3000', '-notext'], dir);
  let count = 0;
  const issue = (name: string, options: LeafOptions): Issued => {
    count += 1;
    const base = `leaf-${count}-${name}`;
    const ext = join(dir, `${base}.ext`);
    const lines = ['basicConstraints = critical, CA:false', 'keyUsage = digitalSignature, keyEncipherment', 'extendedKeyUsage = serverAuth, clientAuth'];
    if (options.san !== undefined && options.san.length > 0) lines.push(`subjectAltName = ${options.san.join(', ')}`);
    writeFileSync(ext, `${lines.join('\n')}\n`);
    const subj = `/CN=${options.cn ?? name}`;
    const start = asn1Time(options.startDays ?? -1);
    const end = asn1Time(options.endDays ?? 365);
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', subj], dir);
    const issuer = options.issuer ?? 'intermediate';
    if (issuer === 'self') {
      openssl(['ca', '-batch', '-selfsign', '-config', join(interDir, 'ca.cnf'), '-keyfile', `${base}.key`, '-in', `${base}.csr`, '-out', `${base}.pem`, '-extfile', ext, '-startdate', start, '-enddate', end, '-notext'], dir);
    } else {
      const [cnf, cert, key] = issuer === 'other' ? [join(otherDir, 'ca.cnf'), 'other.pem', 'other.key'] : [join(interDir, 'ca.cnf'), 'inter.pem', 'inter.key'];
      openssl(['ca', '-batch', '-config', cnf, '-cert', cert, '-keyfile', key, '-in', `${base}.csr`, '-out', `${base}.pem`, '-extfile', ext, '-startdate', start, '-enddate', end, '-notext'], dir);
    }
    const chain = join(dir, `${base}.chain.pem`);
    // A correct server sends its intermediate; the other root's leaf comes with that (untrusted) root.
    const sentAbove = issuer === 'intermediate' ? (options.omitIntermediate === true ? undefined : 'inter.pem') : issuer === 'other' ? 'other.pem' : undefined;
    writeFileSync(chain, readFileSync(join(dir, `${base}.pem`), 'utf8') + (sentAbove !== undefined ? readFileSync(join(dir, sentAbove), 'utf8') : ''));
    return { key: join(dir, `${base}.key`), cert: join(dir, `${base}.pem`), chain };
  };
  return { dir, rootCa: join(dir, 'root.pem'), intermediate: join(dir, 'inter.pem'), issue };
}

/**
 * TLSA association data for a PEM certificate as `openssl` computes it
 * (RFC 6698 §2.1): selector 0 the DER certificate, 1 its DER
 * SubjectPublicKeyInfo (`x509 -pubkey | pkey -pubin -outform DER`); matching
 * type 0 the content itself, 1 SHA-256, 2 SHA-512 (`dgst`). Lower-case hex.
 * Independent of fedcheck's own matching code, which tests compare it with.
 */
export function opensslTlsaData(pem: string, selector: 0 | 1, matchingType: 0 | 1 | 2): string {
  const select = selector === 0 ? `openssl x509 -in '${pem}' -outform DER` : `openssl x509 -in '${pem}' -noout -pubkey | openssl pkey -pubin -outform DER`;
  const run = (script: string): Buffer => execFileSync('bash', ['-o', 'pipefail', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (matchingType === 0) return run(select).toString('hex');
  return run(`${select} | openssl dgst -${matchingType === 1 ? 'sha256' : 'sha512'} -r`).toString('utf8').split(' ')[0]!.trim().toLowerCase();
}

/** The DER of a PEM certificate, by `openssl x509 -outform DER`. */
export function opensslDer(pem: string): Buffer {
  return execFileSync('openssl', ['x509', '-in', pem, '-outform', 'DER'], { stdio: ['ignore', 'pipe', 'pipe'] });
}
