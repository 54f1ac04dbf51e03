/**
 * Zone-file mode's engine: parse RFC 1035 master files and answer for them
 * authoritatively on loopback. The CLI needs `loadZoneFiles` and
 * `startZoneServer`; the rest is exported for tests and tools.
 */
export { loadZoneFiles, type LoadedZones, type ZoneLoadError, type ZoneFileSpec } from './load.js';
export { startZoneServer, type ZoneServer, type ZoneServerOptions, type ZoneServerStats } from './server.js';
export { answer, MAX_CNAME_CHAIN, RESPONDER_UDP_PAYLOAD, type AnswerOptions } from './responder.js';
export { parseZone, originFromFileName, type IncludeReader, type ParseOptions, type ParsedZone, type ZoneParseError } from './parse.js';
export { zoneRecords, type RRset, type Zone, type ZoneNode, type ZoneRecord } from './zone.js';
export { formatRecord, formatRdata } from './present.js';
export type { DomainName } from './name.js';
