import { Command, CommanderError, Option } from 'commander';
import { run } from './index.js';
import { EXIT } from './exit-codes.js';
import { ExitError } from './errors.js';
import { ProgressLine, withProgress } from './report/progress.js';
import { openReporter, REPORT_FORMATS, reportExitCode, type Reporter } from './report/render.js';
import { CATALOGUE, citation, RULE_IDS, ruleInfo } from './rules/catalogue.js';
import { catalogueMarkdown } from './rules/markdown.js';
import { planFromArguments } from './check/plan.js';
import { PROFILE_LISTING_FORMATS, renderProfiles, type ProfileListingFormat } from './rules/profiles/listing.js';
import { CLOUD_NAMES, DEFAULT_CLOUD, PROFILE_NAMES, type CloudName } from './rules/profiles/profiles.js';
import { VERSION } from './version.js';
import { planCheck, type CheckOptions } from './input/check-plan.js';
import type { ReportFormat } from './report/render.js';

/** The check command's options: the run plan's, and the report format (commander allows only REPORT_FORMATS). */
type CheckCommandOptions = CheckOptions & { readonly format: ReportFormat };
import { escapeControl } from './escape.js';
import { manPage } from './man-page.js';
import type { RunReport } from './report/report.js';

/** Where the CLI writes; a parameter so that tests and embedders can capture it. */
export interface Io {
  /** Standard output: text, and the JSON report as UTF-8 bytes. */
  readonly stdout: { write(chunk: string | Uint8Array): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly env: NodeJS.ProcessEnv;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Run the CLI; returns the exit status. Never throws for bad input or DNS trouble. */
export async function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  let status: number = EXIT.ok;
  const program = new Command('fedcheck');
  program
    .description('Check the DNS records of SIP federation, mobile push notifications and XMPP federation (Lync Server 2013 / Skype for Business edge) for SIP domains.')
    .version(VERSION, '-V, --version')
    .argument('[domains...]', 'SIP domains to check (IDNs are accepted)')
    .option('-f, --file <file>', 'read domains from FILE, one per line, # comments; - for stdin (repeatable)', collect, [])
    .option('-c, --config <file>', 'JSON config: domains, per-domain expectations, resolvers (schema/fedcheck-config.schema.json)')
    .option('-z, --zone <file>', 'check against RFC 1035 zone files served on loopback instead of live DNS (repeatable; offline); NAME=FILE names the zone, else its SOA owner is the apex', collect, [])
    .option('-r, --resolver <addr>', 'resolver to ask: IPv4, IPv4:port, IPv6, [IPv6]:port, tls://ADDR[:853][#name] (DNS over TLS), https://HOST[:port]/dns-query[#ADDR] (DNS over HTTPS) (repeatable; default: /etc/resolv.conf)', collect, [])
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('table'))
    .option('--timeout <ms>', 'per-attempt timeout in milliseconds (default 2000)')
    .option('--retries <n>', 'attempts after the first, each to the next resolver (default 2)')
    .option('--concurrency <n>', 'domains checked at once (default 64)')
    .option('--rate <n>', 'send at most N queries a second, across every server (for resolvers that rate-limit)')
    .option('--tcp', 'use TCP for every query')
    .option('--no-recursion', 'send queries with RD=0 (to ask an authoritative server directly)')
    .option('--no-mobility', 'the domains have no mobile users: push-srv is not reported')
    .option('--no-discovery', 'open federation discovery is not wanted')
    .addOption(new Option('--xmpp <mode>', 'XMPP federation: required, optional (default) or off').choices(['required', 'optional', 'off']))
    .addOption(new Option('--profile <name>', 'deployment profile of every domain (default federation; `fedcheck profiles` lists them)').choices(PROFILE_NAMES))
    .addOption(new Option('--cloud <name>', 'for the online profile: whose Microsoft values (default worldwide)').choices(CLOUD_NAMES))
    .option('--no-color', 'no ANSI colours (also when NO_COLOR is set or stdout is not a terminal)')
    .option('-v, --verbose', 'table: list passing findings too')
    .option('-o, --output <file>', 'write the report to FILE atomically (temp file + rename); - for stdout')
    .option('-q, --quiet', 'table, json, ndjson: only domains that are not pass; nothing when all pass and nothing changed')
    .option('--since <report>', 'compare with a previous --format json report and add what changed')
    .option('--authoritative', 'find each zone through the resolver and ask every one of its name servers directly (RD=0): auth-lame, auth-serial, auth-consistency')
    .option('--port <n>', 'with --authoritative or --no-recursion: the port of the authoritative servers found (default 53)')
    .option('--require-dnssec', 'answers that are not DNSSEC-secure (no AD from the resolver) fail dnssec-srv instead of info')
    .option('--compare', 'with two or more resolvers: ask every one every question and warn where they disagree (resolver-consistency)')
    .option('--expect-target <fqdn>', 'the federation SRV must name exactly these targets (repeatable; one domain only)', collect, [])
    .option('--expect-address <ip>', 'federation SRV targets must resolve to exactly these addresses, per family listed (repeatable; one domain only)', collect, [])
    .option('--expect-xmpp-target <fqdn>', 'the XMPP SRV must name exactly these targets (repeatable; one domain only)', collect, [])
    .option('--expect-xmpp-address <ip>', 'XMPP SRV targets must resolve to exactly these addresses (repeatable; one domain only)', collect, [])
    .option('--probe', 'also connect to every SRV target address with TLS (XMPP: STARTTLS) and check certificates; the only connections besides DNS')
    .option('--probe-timeout <ms>', 'with --probe: time for all of one address\'s probe in milliseconds (default 5000)')
    .option('--probe-concurrency <n>', 'with --probe: connections at once (default 16)')
    .option('--ca <file>', 'PEM certificates to trust besides the system roots, for --probe and for tls:// and https:// resolvers (repeatable)', collect, [])
    .option('--expiry-warn <days>', 'with --probe: warn when a certificate expires within DAYS (default 30)')
    .option('--no-progress', 'no progress line on stderr (one is shown only on a terminal, for runs over a second)')
    .enablePositionalOptions()
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander quotes the offending argument: escape it so it cannot drive the terminal.
      outputError: (text) => io.stderr.write(`fedcheck: ${escapeControl(text.replace(/^error: /, '').trim())}\n`),
    })
    .action(async (domainArgs: string[], options: CheckCommandOptions) => {
      status = await checkCommand(program, domainArgs, options, io);
    });

  program
    .command('rules')
    .description('list the rule catalogue: id, severity, what breaks, source')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .action((options: { format: 'table' | 'json' | 'markdown' }) => {
      io.stdout.write(
        options.format === 'json'
          ? `${JSON.stringify(RULE_IDS.map((id) => CATALOGUE[id]), null, 2)}\n`
          : options.format === 'markdown'
            ? catalogueMarkdown()
            : renderRules(),
      );
    });
  program
    .command('explain')
    .description('print one rule of the catalogue')
    .argument('<rule>', 'rule id, e.g. push-srv')
    .action((id: string) => {
      const info = ruleInfo(id);
      if (info === undefined) throw new ExitError(`unknown rule ${JSON.stringify(id)}; \`fedcheck rules\` lists them`, EXIT.usage);
      io.stdout.write(
        [
          `${info.id}: ${info.title}`,
          `record:   ${info.record}`,
          `severity: ${info.severity}${info.softened ? ` (${info.softened})` : ''}`,
          `breaks:   ${info.breaks}`,
          `source:   ${citation(info.source)}`,
          `          ${info.source.url}`,
          '',
        ].join('\n'),
      );
    });
  program
    .command('profiles')
    .description('list the deployment profiles: the records each calls for, its rules, sources, and the clouds of --cloud')
    .addOption(new Option('--format <format>', 'output format').choices(PROFILE_LISTING_FORMATS).default('table'))
    .addOption(new Option('--cloud <name>', 'whose values the online profile shows').choices(CLOUD_NAMES).default(DEFAULT_CLOUD))
    .action((options: { format: ProfileListingFormat; cloud: CloudName }) => {
      io.stdout.write(renderProfiles(options.format, options.cloud));
    });
  program
    .command('man')
    .description('print the manual page (roff; read it with `fedcheck man | man -l -`)')
    .action(() => {
      io.stdout.write(manPage(program));
    });
  program
    .command('plan')
    .description("print the records a profile calls for, as a zone-file snippet (an online plan prints Microsoft's values)")
    .argument('<domains...>', 'SIP domains')
    .option('--edge <fqdn>', 'the Access Edge FQDN, or one label under each domain (default: sip)')
    .option('--address <ip>', "the Access Edge's public address (repeatable; IPv6 gives AAAA)", collect, [])
    .option('--proxy <ip>', "the reverse proxy's public address, for lyncdiscover (repeatable)", collect, [])
    .addOption(new Option('--profile <name>', 'profile to plan for (default federation)').choices(PROFILE_NAMES.filter((p) => p !== 'auto')))
    .addOption(new Option('--cloud <name>', "for online: whose Microsoft values (default worldwide)").choices(CLOUD_NAMES))
    .option('--tlsa <cert.pem>', "also print the DANE-EE TLSA records (3 1 1) of this certificate for the planned SRV targets")
    .action((domains: string[], options: { edge?: string; address: string[]; proxy: string[]; profile?: string; cloud?: string; tlsa?: string }) => {
      io.stdout.write(planFromArguments(domains, options));
    });

  try {
    // `fedcheck help [command]` reads as a (single-label, invalid) domain otherwise.
    const args = argv[0] === 'help' ? [...argv.slice(1), '--help'] : [...argv];
    await program.parseAsync(args, { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof ExitError) {
      io.stderr.write(`fedcheck: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

function renderRules(): string {
  // The id column is as wide as the longest id (online-lyncdiscover-cname is 25).
  const width = Math.max(...RULE_IDS.map((id) => id.length));
  const indent = ' '.repeat(width + 7);
  const lines = RULE_IDS.map((id) => {
    const r = CATALOGUE[id];
    return `${r.id.padEnd(width)} ${r.severity.padEnd(5)} ${r.title}\n${indent}breaks: ${r.breaks}\n${indent}source: ${citation(r.source)}`;
  });
  return `${lines.join('\n')}\n`;
}

async function checkCommand(program: Command, domainArgs: readonly string[], options: CheckCommandOptions, io: Io): Promise<number> {
  const plan = planCheck(domainArgs, options, (name) => program.getOptionValueSource(name) === 'cli');
  if (plan.target.kind === 'zones') {
    for (const warning of plan.target.warnings) io.stderr.write(`fedcheck: warning: ${escapeControl(warning)}\n`);
  }

  const toStdout = options.output === undefined || options.output === '-';
  const color = toStdout && options.color && io.stdout.isTTY === true && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '');
  let report: RunReport;
  let reporter: Reporter | undefined;
  const progress = options.progress && io.stderr.isTTY === true ? new ProgressLine(io.stderr, { total: plan.specs.length }) : undefined;
  try {
    reporter = openReporter(options.format, {
      output: options.output,
      stdout: io.stdout,
      color,
      verbose: options.verbose === true,
      quiet: options.quiet === true,
      previous: plan.previous,
    });
    progress?.start();
    const common = {
      keep: reporter.keep,
      ...(reporter.onStart !== undefined ? { onStart: reporter.onStart } : {}),
      onResult: withProgress(progress, reporter.onResult),
      ...(plan.probe !== undefined ? { probe: plan.probe } : {}),
      ...(plan.tls !== undefined ? { tls: plan.tls } : {}),
      domains: plan.specs,
      timeoutMs: plan.timeoutMs,
      retries: plan.retries,
      forceTcp: options.tcp === true,
      concurrency: plan.concurrency,
      ...(plan.rate !== undefined ? { rate: plan.rate } : {}),
    };
    // Zone-file mode: the run serves the zones on loopback itself and stops the server at the end.
    report = plan.target.kind === 'zones'
      ? await run({ ...common, zoneFiles: plan.target.files, loadedZones: plan.target.zones })
      : await run({
          ...common,
          ...(plan.authoritative !== undefined ? { authoritative: plan.authoritative } : {}),
          ...(plan.compare ? { compare: true } : {}),
          ...(plan.followPort !== undefined ? { followPort: plan.followPort } : {}),
          servers: plan.target.servers,
          recursion: options.recursion,
        });
    progress?.stop();
    reporter.finish(report);
  } finally {
    progress?.stop();
    reporter?.close();
  }
  return reportExitCode(report);
}
