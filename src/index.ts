/**
 * fedcheck as a library: the public API, and the only module a program that
 * embeds fedcheck should import (`import { run, render } from 'fedcheck'`).
 *
 * {@link run} checks SIP domains, live or against zone files, and returns the
 * report (`fedcheck/1`, the same data `--format json` prints); {@link render}
 * turns it into any of the CLI's formats; {@link reportExitCode} gives the exit
 * status the CLI would. The rule catalogue and the deployment profiles are data.
 *
 * @packageDocumentation
 */
import { run as runChecks, type RunOptions } from './check/run.js';
import { runZones, type ZoneRunOptions } from './check/zone-run.js';
import type { RunReport } from './report/report.js';

export type { RunOptions } from './check/run.js';
export type { ZoneRunOptions } from './check/zone-run.js';

/**
 * Check every domain and build the report. With `servers`, ask them (resolvers,
 * or with `authoritative` the zones' own name servers); with `zoneFiles`, serve
 * those zones on loopback for the duration of the run and ask only them.
 *
 * DNS trouble never rejects: a lookup that could not tell is an `unknown`
 * finding with its reason. Rejects with {@link ExitError} for bad input only
 * (a zone file that cannot be read, 66, or does not parse, 65).
 */
export function run(options: RunOptions | ZoneRunOptions): Promise<RunReport> {
  return 'zoneFiles' in options ? runZones(options) : runChecks(options);
}

// The report and what it is made of.
export type { QueryStats, RunReport, Summary } from './report/report.js';
export type { DomainResult, DomainSpec, HoldingFinding, ProblemFinding, ProfileReport, ReportedFinding } from './check/check-domain.js';
export type { CnameRecord, DomainRecords, HostRecord, OutcomeRecord, ServiceRecord, TargetRecord } from './check/records.js';
export type { DomainStatus } from './check/verdict.js';
export type { Changes, DomainChange, DomainChanges, RecordChange, RuleChange } from './report/diff.js';
export { DEFAULT_EXPECTATIONS, type DomainExpectations, type EdgeExpectation, type ServiceExpectation, type XmppExpectation } from './rules/types.js';

// Rendering, and what the CLI would exit with.
export { render, REPORT_FORMATS, reportExitCode, type RenderOptions, type ReportFormat } from './report/render.js';
export { checkNdjsonLine, checkReport, REPORT_SCHEMA_ID, reportSchema } from './report/report-schema.js';
export { EXIT, EXIT_CODES, type ExitCodeInfo, type ExitName, type ExitStatus, type StopStatus, type VerdictExit } from './exit-codes.js';
export { ExitError } from './errors.js';

// The rule catalogue and the deployment profiles.
export { CATALOGUE, citation, RULE_IDS, ruleInfo, type RuleId, type RuleInfo, type Source, type Status } from './rules/catalogue.js';
export {
  CLOUD_NAMES,
  CLOUDS,
  layerExpectations,
  PROFILE_NAMES,
  PROFILES,
  type CloudDefinition,
  type CloudName,
  type ConcreteProfileName,
  type ProfileDefinition,
  type ProfileName,
} from './rules/profiles/profiles.js';

// Building the options: servers from text, domain names as the checks want them.
export { formatServer, parseServerAddress, type ServerAddress } from './dns/server-address.js';
export { parseDomainName } from './input/domain-name.js';
export { VERSION } from './version.js';
