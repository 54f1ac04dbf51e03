/**
 * The DNSSEC test world: fixture zones signed inside the test with BIND's
 * real `dnssec-signzone` (fresh keys each time, so nothing secret or expiring
 * lives in the repository), served by a real NSD on loopback, and a real
 * validating Unbound whose trust anchors are the test zones' own DS records,
 * so that its answers carry a real AD bit.
 *
 *   signed    the zone as signed: Unbound answers with AD=1 (secure)
 *   bogus     signed, then chosen RRSIGs corrupted: Unbound answers SERVFAIL,
 *             and with CD=1 (RFC 4035 §3.2.2) the records, unvalidated
 *   unsigned  served as written, under `domain-insecure`: AD=0 (insecure)
 *
 * Reusable by any test that needs a signed zone (TLSA records for DANE, SRV
 * records for the DNSSEC rules): give {@link startSignedZoneWorld} the zones'
 * master-file text, ask {@link SignedZoneWorld.resolver}.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './servers.js';
import { absolute, ensurePackages, requireLoopback, startNsd, startUnbound, type RunningServer } from './real-servers.js';

/** How a zone of the world is served. */
export type Signing = 'signed' | 'bogus' | 'unsigned';

/** One zone of a {@link startSignedZoneWorld} world. */
export interface SignedZoneSpec {
  /** The zone's origin, e.g. "secure.test" (trailing dot optional). */
  readonly origin: string;
  /**
   * An RFC 1035 master file for the zone, with its SOA and NS records and
   * names relative to `origin` or absolute; no DNSKEY (the signer adds it).
   */
  readonly text: string;
  /** Default 'signed'. */
  readonly signing?: Signing;
  /**
   * For 'bogus': the RRsets whose RRSIG is corrupted, as `owner TYPE`
   * (owner absolute or relative to the origin, e.g. "_xmpp-server._tcp SRV").
   * Default: every SRV RRset of the zone.
   */
  readonly corrupt?: readonly string[];
}

/** A zone as the world serves it. */
export interface ServedZone {
  /** Absolute, lower case: "secure.test.". */
  readonly origin: string;
  readonly signing: Signing;
  /** The master file NSD serves (signed or not): serve it from another server too if a test needs to. */
  readonly file: string;
  /** The zone as given, unsigned (for a second server that serves the unsigned copy). */
  readonly unsignedFile: string;
  /** The DS record of the zone's key (the trust anchor Unbound was given); undefined when unsigned. */
  readonly ds: string | undefined;
}

/** A started world. */
export interface SignedZoneWorld {
  /** The validating Unbound: "127.0.0.1:PORT". Ask it with RD=1 and DO=1 to see AD. */
  readonly resolver: string;
  /** NSD, authoritative for every zone: "ADDRESS:PORT". */
  readonly authoritative: string;
  /** The zones, by absolute lower-case origin ("secure.test."). */
  readonly zones: ReadonlyMap<string, ServedZone>;
  readonly servers: { readonly nsd: RunningServer; readonly unbound: RunningServer };
  /** Stop both servers and remove the keys and zone files. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startSignedZoneWorld}. */
export interface SignedZoneWorldOptions {
  /** NSD's loopback address; default 127.0.0.1 (use another 127/8 address to match a zone's NS glue). */
  readonly address?: string;
  /** NSD's port; default a free high one. */
  readonly port?: number;
}

/** The Debian packages the world runs: the signer, the authoritative server, the validating resolver. */
export const SIGNED_ZONE_PACKAGES: readonly string[] = ['bind9-utils', 'nsd', 'unbound'];

/**
 * Sign the zones (see {@link signZone}), serve them with NSD and start a
 * validating Unbound with stubs to it, whose trust anchors are the DS records
 * of the signed and bogus zones, and under which the unsigned zones are
 * `domain-insecure`. Throws (never skips) when a tool or server fails.
 */
export async function startSignedZoneWorld(zones: readonly SignedZoneSpec[], options: SignedZoneWorldOptions = {}): Promise<SignedZoneWorld> {
  if (zones.length === 0) throw new Error('startSignedZoneWorld: no zones');
  ensurePackages(SIGNED_ZONE_PACKAGES);
  const address = options.address ?? '127.0.0.1';
  requireLoopback(address, 'startSignedZoneWorld address');
  const dir = mkdtempSync(join(tmpdir(), 'fedcheck-signed-'));
  const started: RunningServer[] = [];
  try {
    const served = zones.map((spec) => signZone(spec, dir));
    const nsd = await startNsd({ zones: served.map((z) => ({ name: z.origin, file: z.file })), address, ...(options.port !== undefined ? { port: options.port } : {}) });
    started.push(nsd);
    const unbound = await startUnbound({
      stubs: served.map((z) => ({ zone: z.origin, server: nsd.address })),
      validator: {
        trustAnchors: served.flatMap((z) => (z.ds === undefined ? [] : [z.ds])),
        insecure: served.filter((z) => z.ds === undefined).map((z) => z.origin),
      },
    });
    started.push(unbound);
    let stopping: Promise<void> | undefined;
    return {
      resolver: unbound.address,
      authoritative: nsd.address,
      zones: new Map(served.map((z) => [z.origin, z])),
      servers: { nsd, unbound },
      stop: () => {
        stopping ??= (async () => {
          await Promise.all(started.map((s) => s.stop()));
          rmSync(dir, { recursive: true, force: true });
        })();
        return stopping;
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Write the zone into `dir` and, unless it is 'unsigned', sign it: a fresh
 * ECDSA P-256 key (algorithm 13, RFC 6605) used as KSK and ZSK alike
 * (`dnssec-keygen -f KSK`, `dnssec-signzone -z`), NSEC, one record per line
 * (`-O full`) so that signatures can be found and, for 'bogus', corrupted.
 * Throws with the tool's message when signing fails.
 */
export function signZone(spec: SignedZoneSpec, dir: string): ServedZone {
  const origin = absolute(spec.origin.toLowerCase());
  const signing = spec.signing ?? 'signed';
  const base = join(dir, origin.replace(/\.$/, '') || 'root');
  const unsignedFile = `${base}.zone`;
  writeFileSync(unsignedFile, spec.text.endsWith('\n') ? spec.text : `${spec.text}\n`);
  if (signing === 'unsigned') return { origin, signing, file: unsignedFile, unsignedFile, ds: undefined };
  const keyDir = `${base}.keys`;
  rmSync(keyDir, { recursive: true, force: true });
  mkdirSync(keyDir, { recursive: true });
  run('/usr/bin/dnssec-keygen', ['-q', '-K', keyDir, '-a', 'ECDSAP256SHA256', '-f', 'KSK', origin]);
  const key = readdirSync(keyDir).find((f) => f.startsWith(`K${origin}+`) && f.endsWith('.key'));
  if (key === undefined) throw new Error(`dnssec-keygen wrote no key for ${origin} in ${keyDir}`);
  const signedFile = `${base}.signed`;
  run('/usr/bin/dnssec-signzone', ['-q', '-S', '-z', '-K', keyDir, '-d', keyDir, '-O', 'full', '-o', origin, '-f', signedFile, unsignedFile]);
  const ds = run('/usr/bin/dnssec-dsfromkey', ['-2', join(keyDir, key)]).trim();
  if (signing === 'bogus') {
    const wanted = (spec.corrupt ?? []).map((entry) => parseRrset(entry, origin));
    const text = readFileSync(signedFile, 'utf8');
    const { text: broken, count } = corruptSignatures(text, (owner, covered) => (wanted.length === 0 ? covered === 'SRV' : wanted.some((w) => w.owner === owner && w.type === covered)));
    if (count === 0) throw new Error(`signZone: no RRSIG to corrupt in ${origin} for ${(spec.corrupt ?? ['SRV']).join(', ')}`);
    writeFileSync(signedFile, broken);
  }
  return { origin, signing, file: signedFile, unsignedFile, ds };
}

/** "owner TYPE" → absolute lower-case owner and upper-case type. */
function parseRrset(entry: string, origin: string): { owner: string; type: string } {
  const [owner, type] = entry.trim().split(/\s+/);
  if (owner === undefined || type === undefined) throw new Error(`signZone: bad RRset '${entry}' (want "owner TYPE")`);
  const lower = owner.toLowerCase();
  const full = lower === '@' ? origin : lower.endsWith('.') ? lower : `${lower}.${origin}`;
  return { owner: full, type: type.toUpperCase() };
}

/**
 * Change one base64 character of the signature of every RRSIG (in
 * `dnssec-signzone -O full` output: `owner ttl IN RRSIG covered alg labels
 * ottl expiration inception tag signer sig…`) that `pick` chooses. The record
 * stays well formed and the same length; only the signature no longer
 * verifies (RFC 4035 §5.3), which a validator calls bogus.
 */
export function corruptSignatures(text: string, pick: (owner: string, covered: string) => boolean): { readonly text: string; readonly count: number } {
  let count = 0;
  const lines = text.split('\n').map((line) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 13 || fields[3] !== 'RRSIG') return line;
    if (!pick(fields[0]!.toLowerCase(), fields[4]!.toUpperCase())) return line;
    const head = fields.slice(0, 12).join(' ');
    const signature = fields.slice(12).join(' ');
    const at = Math.min(4, signature.length - 1);
    const flipped = signature[at] === 'A' ? 'B' : 'A';
    count += 1;
    return `${head} ${signature.slice(0, at)}${flipped}${signature.slice(at + 1)}`;
  });
  return { text: lines.join('\n'), count };
}

/** Run a tool; its stdout, or throw with its stderr. */
function run(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `status ${String(result.status)}`}): ${(result.stderr || result.stdout || '').trim()}`);
  }
  return result.stdout;
}

/**
 * fedcheck's own DNSSEC fixtures (fixtures/zones/dnssec/): secure.test signed,
 * bogus.test with its SRV signatures corrupted, insecure.test unsigned,
 * mixed.test signed with its SRV targets in insecure.test.
 */
export function dnssecFixtureZones(): SignedZoneSpec[] {
  const zone = (origin: string, signing: Signing): SignedZoneSpec => ({
    origin,
    signing,
    text: readFileSync(join(repoRoot(), 'fixtures', 'zones', 'dnssec', `${origin}.zone`), 'utf8'),
  });
  return [zone('secure.test', 'signed'), zone('bogus.test', 'bogus'), zone('insecure.test', 'unsigned'), zone('mixed.test', 'signed')];
}
