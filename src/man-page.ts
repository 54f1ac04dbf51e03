/**
 * The manual page `fedcheck.1` (man(7) roff), generated from the CLI's own
 * commander definitions, so that every option and subcommand it lists is one
 * the CLI has, with the CLI's words, and from the exit-status table. `fedcheck
 * man` prints it; `docs/fedcheck.1` is its output, kept in step by test/docs.
 */
import type { Command, Help } from 'commander';
import { EXIT_CODES } from './exit-codes.js';
import { VERSION } from './version.js';

/** Text as roff: backslashes escaped, hyphens as minus signs (options), a leading dot or quote kept literal. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/`([^`]+)`/g, '\\fB$1\\fR')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

/** A tagged paragraph per option: the flags in bold, then what the CLI's help says of it. */
function optionList(help: Help, command: Command): string[] {
  // A repeatable option's empty default ("(default: [])") says nothing a reader needs.
  return help.visibleOptions(command).flatMap((option) => ['.TP', `.B ${roff(help.optionTerm(option))}`, roff(help.optionDescription(option).replace(/ \(default: \[\]\)$/, ''))]);
}

const SEE_ALSO = [
  'The README and the pages under docs/ in the package: the rules (docs/rules.md), the deployment profiles',
  '(docs/profiles.md), the output formats (docs/formats.md), zone-file mode (docs/zone-mode.md), authoritative',
  'mode (docs/authoritative-mode.md) and how fedcheck decides (docs/how-it-decides.md).',
].join('\n');

/** The manual page of `program` (the CLI's root command). */
export function manPage(program: Command): string {
  const help = program.createHelp();
  const lines: string[] = [
    `.TH FEDCHECK 1 "" "fedcheck ${VERSION}" "User Commands"`,
    '.SH NAME',
    `fedcheck \\- ${roff(program.description().replace(/\.$/, ''))}`,
    '.SH SYNOPSIS',
    `.B fedcheck\n${roff('[options] [domains...]')}`,
    '.br',
    `.B fedcheck\n${roff('rules | explain RULE | profiles | plan DOMAIN... | man')}`,
    '.SH DESCRIPTION',
    roff(
      'fedcheck asks DNS for the records of SIP federation (_sipfederationtls._tcp), mobile push notifications and ' +
        'XMPP federation (_xmpp-server._tcp) of each SIP domain, follows the SRV targets to their addresses, and says per ' +
        'domain what passes, what is fragile, what is missing or wrong, and what it could not tell. A lookup that ' +
        'timed out or failed is never reported as a missing record: it is unknown, with the reason.',
    ),
    '.SH OPTIONS',
    ...optionList(help, program),
    '.SH COMMANDS',
  ];
  for (const command of help.visibleCommands(program)) {
    if (command.name() === 'help') continue;
    lines.push('.TP', `.B fedcheck ${roff(help.subcommandTerm(command).replace(/ \[options\]/, ''))}`, roff(command.description()));
    const options = optionList(help, command);
    if (options.length > 0) lines.push('.RS', ...options, '.RE');
  }
  lines.push('.SH EXIT STATUS', roff('The verdict of a run follows the Nagios plugin convention; a run that stops with one line on stderr exits with a sysexits.h status.'));
  for (const exit of EXIT_CODES) lines.push('.TP', `.B ${exit.code}`, roff('sysexits' in exit ? `${exit.meaning} (${exit.sysexits})` : exit.meaning));
  lines.push(
    '.SH ENVIRONMENT',
    '.TP',
    '.B NO_COLOR',
    roff('When set and not empty, the table has no ANSI colours.'),
    '.TP',
    '.B FEDCHECK_DEBUG',
    roff('When set, an internal error (exit 70) also prints its stack.'),
    '.SH FILES',
    '.TP',
    '.I schema/fedcheck-config.schema.json',
    roff('JSON Schema of the --config file.'),
    '.TP',
    '.I schema/fedcheck-report.schema.json',
    roff('JSON Schema of the --format json report (fedcheck/1) and of each --format ndjson line.'),
    '.SH EXAMPLES',
    roff('Check a domain against a zone file, offline:'),
    '.PP',
    '.RS',
    roff('fedcheck --zone contoso.com.zone contoso.com'),
    '.RE',
    '.PP',
    roff('Check live, through a given resolver, for monitoring:'),
    '.PP',
    '.RS',
    roff('fedcheck -r 192.0.2.53 --format nagios contoso.com'),
    '.RE',
    '.SH SEE ALSO',
    roff(SEE_ALSO),
  );
  return `${lines.join('\n')}\n`;
}
