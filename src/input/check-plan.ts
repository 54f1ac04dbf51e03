/**
 * From the check command's options to a plan: which domains with which
 * expectations, which servers, which timing. Everything here is input
 * handling: a problem is an {@link ExitError} with its exit status, never a
 * stack trace. The CLI then starts what the plan needs, runs it, renders.
 */
import type { DomainSpec } from '../rules/types.js';
import { readResolvConf, type SystemResolverSettings } from '../dns/resolv-conf.js';
import { parseResolver, type ServerAddress } from '../dns/server-address.js';
import type { TlsSettings } from '../dns/encrypted.js';
import { readTrustAnchors } from './trust-anchors.js';
import { readPreviousReport, type ComparableReport } from './previous-report.js';
import { layerExpectations, type CloudName, type ProfileName } from '../rules/profiles/profiles.js';
import type { DomainExpectations, XmppExpectation } from '../rules/types.js';
import { loadZoneFiles, type ZoneFileSpec } from '../zone/index.js';
import type { Zone } from '../zone/zone.js';
import { loadConfig, type Config, type ExpectationOverrides } from './config.js';
import { readDomainList } from './domain-list.js';
import { parseDomainName } from './domain-name.js';
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { MAX_RATE } from '../dns/rate-limit.js';
import { expectFromFlags, mergeExpect } from './expectations.js';
import { normaliseProfileSettings } from './profile-settings.js';
import { probeSettings, type ProbeFlags } from './probe-settings.js';
import type { ProberOptions } from '../probe/prober.js';

/** The check command's options as commander parses them. */
export interface CheckOptions extends ProbeFlags {
  resolver: string[];
  file: string[];
  config?: string;
  timeout?: string;
  retries?: string;
  concurrency?: string;
  rate?: string;
  tcp?: boolean;
  recursion: boolean;
  mobility: boolean;
  discovery: boolean;
  xmpp?: XmppExpectation;
  profile?: ProfileName;
  cloud?: CloudName;
  color: boolean;
  verbose?: boolean;
  zone: string[];
  output?: string;
  quiet?: boolean;
  since?: string;
  authoritative?: boolean;
  port?: string;
  compare?: boolean;
  /** `--require-dnssec`: dnssec-srv fails answers that are not secure. */
  requireDnssec?: boolean;
  expectTarget: string[];
  expectAddress: string[];
  expectXmppTarget: string[];
  expectXmppAddress: string[];
  progress: boolean;
  /** `--ca`: PEM files of extra trust anchors for tls:// and https:// resolvers. */
  ca?: string[];
}

/** Where the questions go: live servers, or zone files to serve on loopback. */
export type ServerPlan =
  | { readonly kind: 'servers'; readonly servers: readonly ServerAddress[] }
  | { readonly kind: 'zones'; readonly files: readonly string[]; readonly zones: readonly Zone[]; readonly warnings: readonly string[] };

/** Everything a check run needs, decided from the options, config and input files. */
export interface CheckPlan {
  readonly specs: readonly DomainSpec[];
  readonly target: ServerPlan;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly concurrency: number;
  /** `--rate`: queries a second at most, across every server. */
  readonly rate?: number;
  readonly authoritative?: { readonly port?: number };
  /** `--no-recursion --port N`: the port of the servers that referrals lead to. */
  readonly followPort?: number;
  readonly compare: boolean;
  /** The `--since` report, read and checked. */
  readonly previous?: ComparableReport;
  /** `--probe`: the TLS probe's settings (absent: no connection but DNS). */
  readonly probe?: ProberOptions;
  /** With tls:// or https:// resolvers: how to authenticate them (`--ca`). */
  readonly tls?: TlsSettings;
}

/**
 * Domains checked at once by default. Through a resolver a few tens of ms away
 * a domain costs about one round trip (its four questions leave together), so
 * 64 domains keep about 2,000 domains and 8,000 queries a second in flight at
 * 30 ms: fast, and within what a resolver of one's own and socket buffers take.
 * Public resolvers limit each client below that: use --rate there.
 */
export const DEFAULT_CONCURRENCY = 64;

/** Parse a whole number option within bounds; exit 64 otherwise. */
function integerOption(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new ExitError(`${name} must be a whole number, not ${JSON.stringify(text)}`, EXIT.usage);
  const value = Number(text);
  if (value < min || value > max) throw new ExitError(`${name} must be between ${min} and ${max}, not ${value}`, EXIT.usage);
  return value;
}

/**
 * Decide the run. `fromCli(name)` says whether an option was given on the
 * command line (commander's value source), since `--no-mobility` and friends
 * must override the config only when the user typed them.
 */
export function planCheck(
  domainArgs: readonly string[],
  options: CheckOptions,
  fromCli: (option: string) => boolean,
  /** The system's resolver settings when no resolver is given (resolv.conf; replaceable in tests). */
  systemResolvers: () => SystemResolverSettings | undefined = readResolvConf,
): CheckPlan {
  const config: Config | undefined = options.config === undefined ? undefined : loadConfig(options.config);
  checkCombinations(options);
  const specs = domainSpecs(domainArgs, options, config, fromCli);
  const timeout = options.timeout !== undefined ? integerOption('--timeout', options.timeout, 1, 60_000) : undefined;
  const retries = options.retries !== undefined ? integerOption('--retries', options.retries, 0, 10) : undefined;
  const concurrency = options.concurrency !== undefined ? integerOption('--concurrency', options.concurrency, 1, 4096) : (config?.concurrency ?? DEFAULT_CONCURRENCY);
  const rate = options.rate !== undefined ? integerOption('--rate', options.rate, 1, MAX_RATE) : undefined;
  const port = options.port !== undefined ? integerOption('--port', options.port, 1, 65535) : undefined;
  const previous = options.since === undefined ? undefined : readPreviousReport(options.since);
  const probe = probeSettings(options);

  let target: ServerPlan;
  let systemTimeout: number | undefined;
  let systemRetries: number | undefined;
  if (options.zone.length > 0) {
    const specs = options.zone.map(zoneFileSpec);
    const loaded = loadZoneFiles(specs);
    if (!loaded.ok) throw new ExitError(loaded.error.message, loaded.error.exitCode);
    target = { kind: 'zones', files: specs.map((spec) => spec.file), zones: loaded.value.zones, warnings: loaded.value.warnings };
  } else {
    const texts = options.resolver.length > 0 ? options.resolver : (config?.resolvers ?? []);
    const servers = texts.map((text) => {
      const parsed = parseResolver(text);
      if (!parsed.ok) throw new ExitError(`bad resolver: ${parsed.error}`, EXIT.usage);
      return parsed.value;
    });
    if (servers.length === 0) {
      const system = systemResolvers();
      if (system === undefined || system.servers.length === 0) {
        throw new ExitError('no resolver: /etc/resolv.conf names no nameserver; give one with --resolver', EXIT.usage);
      }
      servers.push(...system.servers);
      systemTimeout = system.timeoutMs;
      // resolv.conf's attempts are rounds through every server.
      systemRetries = system.attempts !== undefined ? system.attempts * servers.length - 1 : undefined;
    }
    if (options.compare === true && servers.length < 2) throw new ExitError('--compare needs two or more resolvers: give each with --resolver', EXIT.usage);
    target = { kind: 'servers', servers };
  }
  const tls = encryptedDnsSettings(options, target);

  return {
    specs,
    target,
    timeoutMs: timeout ?? config?.timeout ?? systemTimeout ?? 2000,
    retries: retries ?? config?.retries ?? systemRetries ?? 2,
    concurrency,
    ...(rate !== undefined ? { rate } : {}),
    ...(options.authoritative === true ? { authoritative: port !== undefined ? { port } : {} } : {}),
    ...(options.authoritative !== true && port !== undefined ? { followPort: port } : {}),
    compare: options.compare === true,
    ...(previous !== undefined ? { previous } : {}),
    ...(probe !== undefined ? { probe } : {}),
    ...(tls !== undefined ? { tls } : {}),
  };
}

/** `--ca` for tls:// and https:// resolvers: read, or a usage error when no resolver is encrypted. */
function encryptedDnsSettings(options: CheckOptions, target: ServerPlan): TlsSettings | undefined {
  const files = options.ca ?? [];
  const encrypted = target.kind === 'servers' && target.servers.some((server) => server.scheme !== undefined);
  if (files.length > 0 && !encrypted && options.probe !== true) throw new ExitError('--ca only applies with --probe or with tls:// or https:// resolvers', EXIT.usage);
  return encrypted ? { ca: readTrustAnchors(files) } : undefined;
}

function checkCombinations(options: CheckOptions): void {
  if (options.port !== undefined && options.authoritative !== true && (options.recursion || options.zone.length > 0)) {
    throw new ExitError('--port only applies with --authoritative or --no-recursion', EXIT.usage);
  }
  if (options.zone.length > 0) {
    if (options.resolver.length > 0) throw new ExitError('--zone and --resolver cannot be combined: zone-file mode asks only the loaded zones', EXIT.usage);
    if (options.authoritative === true) throw new ExitError('--authoritative and --zone cannot be combined: zone-file mode asks only the loaded zones', EXIT.usage);
  }
  if (options.requireDnssec === true && (options.zone.length > 0 || options.authoritative === true || options.recursion === false)) {
    const mode = options.zone.length > 0 ? '--zone' : options.authoritative === true ? '--authoritative' : '--no-recursion';
    throw new ExitError(`--require-dnssec and ${mode} cannot be combined: only a validating resolver's answers carry the AD bit it judges`, EXIT.usage);
  }
  if (options.compare === true && (options.zone.length > 0 || options.authoritative === true)) {
    throw new ExitError(`--compare and ${options.zone.length > 0 ? '--zone' : '--authoritative'} cannot be combined: --compare asks several resolvers the same questions`, EXIT.usage);
  }
}

/** The domains to check, each with its expectations: flag > per-domain config > config defaults > profile > built-in. */
function domainSpecs(domainArgs: readonly string[], options: CheckOptions, config: Config | undefined, fromCli: (option: string) => boolean): DomainSpec[] {
  const cliOverrides: ExpectationOverrides = {
    ...(fromCli('mobility') ? { mobility: options.mobility } : {}),
    ...(fromCli('discovery') ? { discovery: options.discovery } : {}),
    ...(options.xmpp !== undefined ? { xmpp: options.xmpp } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.cloud !== undefined ? { cloud: options.cloud } : {}),
    ...(options.requireDnssec === true ? { requireDnssec: true } : {}),
  };
  const configured = new Map<string, ExpectationOverrides>();
  const configDomains: { domain: string; input: string }[] = [];
  for (const entry of config?.domains ?? []) {
    const input = typeof entry === 'string' ? entry : entry.domain;
    const parsed = parseDomainName(input);
    if (!parsed.ok) throw new ExitError(`${options.config}: ${parsed.error}`, EXIT.usage);
    configDomains.push({ domain: parsed.value, input });
    if (typeof entry !== 'string') {
      const { domain: _ignored, ...overrides } = entry;
      configured.set(parsed.value, normaliseProfileSettings(overrides, `${options.config}: ${input}`));
    }
  }

  const requested: { domain: string; input: string }[] = [];
  for (const arg of domainArgs) {
    const parsed = parseDomainName(arg);
    if (!parsed.ok) throw new ExitError(parsed.error, EXIT.usage);
    requested.push({ domain: parsed.value, input: arg });
  }
  for (const file of options.file) requested.push(...readDomainList(file));
  // With no domains named, check the config's; with some named, the config only supplies expectations.
  const chosen = requested.length > 0 ? requested : configDomains;
  if (chosen.length === 0) throw new ExitError('no domains given: name SIP domains as arguments, with --file or in --config', EXIT.usage);

  const fromFlags = expectFromFlags(options);
  if (!fromFlags.ok) throw new ExitError(fromFlags.error, EXIT.usage);
  const seen = new Set<string>();
  const specs: DomainSpec[] = [];
  const expectationsOf = (own: ExpectationOverrides | undefined): DomainExpectations => {
    // The domain's profile sets defaults of its own (e.g. sfb2019-edge: no XMPP), below all of these.
    const expectations: DomainExpectations = layerExpectations([config?.defaults ?? {}, own ?? {}, cliOverrides]);
    const expect = mergeExpect(config?.defaults?.expect, own?.expect, fromFlags.value);
    return expect === undefined ? expectations : { ...expectations, expect };
  };
  // Every domain without settings of its own expects the same: one object for a list of 100,000.
  let common: DomainExpectations | undefined;
  for (const { domain, input } of chosen) {
    if (seen.has(domain)) continue;
    seen.add(domain);
    const own = configured.get(domain);
    specs.push({ domain, input, expectations: own === undefined ? (common ??= expectationsOf(undefined)) : expectationsOf(own) });
  }
  if (fromFlags.value !== undefined && specs.length > 1) {
    throw new ExitError(
      `--expect-target, --expect-address, --expect-xmpp-target and --expect-xmpp-address describe one domain; ${specs.length} were given (use "expect" per domain in --config)`,
      EXIT.usage,
    );
  }
  return specs;
}

/**
 * `--zone FILE` or `--zone NAME=FILE` (the zone's apex given, as
 * `named-checkzone NAME FILE` takes it). A `=` counts only when no path
 * separator comes before it, so `./a=b.zone` is a file.
 */
export function zoneFileSpec(argument: string): ZoneFileSpec {
  const eq = argument.indexOf('=');
  if (eq <= 0 || /[\\/]/.test(argument.slice(0, eq))) return { file: argument };
  const file = argument.slice(eq + 1);
  if (file === '') throw new ExitError(`--zone ${argument}: no file after '='; write --zone NAME=FILE or --zone FILE`, EXIT.usage);
  return { file, origin: argument.slice(0, eq) };
}
