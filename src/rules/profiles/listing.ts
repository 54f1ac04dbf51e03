/**
 * `fedcheck profiles`: the profiles of profiles.ts as a table (for people),
 * JSON (for tools) or Markdown (the profile tables of docs/profiles.md are
 * this output, kept identical by a test in test/docs/).
 */
import { citation } from '../types.js';
import { CLOUD_NAMES, CLOUDS, PROFILE_NAMES, PROFILES, type CloudName, type ProfileDefinition, type ProfileRecord } from './profiles.js';

/** Output formats of `fedcheck profiles`. */
export const PROFILE_LISTING_FORMATS = ['table', 'json', 'markdown'] as const;
/** One of {@link PROFILE_LISTING_FORMATS}. */
export type ProfileListingFormat = (typeof PROFILE_LISTING_FORMATS)[number];

const PLACEHOLDERS: Readonly<Record<string, string>> = {
  '<edge>': 'Access Edge FQDN',
  '<address>': 'Access Edge public IP',
  '<proxy>': 'reverse proxy public IP',
  '<webcon>': 'Web Conferencing Edge public IP',
  '<av>': 'A/V Edge public IP',
};

/** A record's owner and value as a person reads them: D for the SIP domain, placeholders spelled out. */
function shown(record: ProfileRecord, cloudName: CloudName): { owner: string; value: string } {
  const cloud = CLOUDS[cloudName];
  const owner = record.owner === '<edge>' ? 'Access Edge FQDN (e.g. sip.D)' : record.owner === '@' ? 'D' : `${record.owner}.D`;
  const value = record.data
    .replace('<sipdir>', cloud.sipdir)
    .replace('<sipfed>', cloud.sipfed)
    .replace('<webdir>', cloud.webdir)
    .replace(/<[a-z]+>/g, (p) => PLACEHOLDERS[p] ?? p);
  return { owner, value };
}

/** The rules of a record that its profile selects. */
const rulesOf = (profile: ProfileDefinition, record: ProfileRecord): string[] => record.rules.filter((r) => profile.rules.includes(r));

const defaultsText = (profile: ProfileDefinition): string =>
  Object.keys(profile.defaults).length === 0 ? 'none' : Object.entries(profile.defaults).map(([k, v]) => `${k}: ${String(v)}`).join(', ');

/** The listing in `format`; `cloud` chooses whose values the online profile shows. */
export function renderProfiles(format: ProfileListingFormat, cloud: CloudName = 'worldwide'): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(profilesJson(), null, 2)}\n`;
    case 'markdown':
      return profilesMarkdown(cloud);
    case 'table':
      return profilesTable(cloud);
  }
}

/** Everything as data: every profile with its records for every cloud, and the clouds with their sources. */
function profilesJson(): unknown {
  return {
    profiles: PROFILE_NAMES.map((name) => {
      const p = PROFILES[name];
      return {
        name: p.name,
        title: p.title,
        summary: p.summary,
        rules: p.rules,
        defaults: p.defaults,
        records: Object.fromEntries(
          CLOUD_NAMES.map((c) => [c, p.records(CLOUDS[c]).map((r) => ({ owner: r.owner, type: r.type, data: r.data, need: r.need, rules: rulesOf(p, r), note: r.note, source: r.source }))]),
        ),
        sources: p.sources,
      };
    }),
    clouds: CLOUD_NAMES.map((c) => CLOUDS[c]),
  };
}

function profilesTable(cloud: CloudName): string {
  const out: string[] = [];
  for (const name of PROFILE_NAMES) {
    const p = PROFILES[name];
    out.push(`${p.name}: ${p.title}`, `  ${p.summary}`, `  defaults: ${defaultsText(p)}`);
    const records = p.records(CLOUDS[cloud]);
    for (const r of records) {
      const { owner, value } = shown(r, cloud);
      out.push(`  ${r.need === 'required' ? '*' : '-'} ${owner} ${r.type} ${value}`);
      out.push(`      ${r.note}; rules: ${rulesOf(p, r).join(', ') || 'none'}`);
      out.push(`      source: ${citation(r.source)}`);
    }
    if (name === 'online') out.push(`  (values of cloud ${cloud}; --cloud ${CLOUD_NAMES.join('|')})`);
    out.push('');
  }
  out.push('* required   - optional (publish only for the feature named)');
  out.push('Clouds:');
  for (const c of CLOUD_NAMES) {
    const d = CLOUDS[c];
    out.push(`  ${c.padEnd(10)} ${d.title}: ${d.sipfed}, ${d.sipdir}, ${d.webdir}`);
    for (const s of d.sources) out.push(`  ${''.padEnd(10)} source: ${s.document} <${s.url}>`);
  }
  return `${out.join('\n')}\n`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

function profilesMarkdown(cloud: CloudName): string {
  const out: string[] = [];
  for (const name of PROFILE_NAMES) {
    const p = PROFILES[name];
    out.push(`#### \`${p.name}\`: ${p.title}`, '', p.summary, '');
    const records = p.records(CLOUDS[cloud]);
    if (records.length > 0) {
      out.push('| record | type | value | needed | rules | source |', '|---|---|---|---|---|---|');
      for (const r of records) {
        const { owner, value } = shown(r, cloud);
        const rules = rulesOf(p, r).map((id) => `\`${id}\``).join(', ');
        out.push(`| \`${cell(owner)}\` | ${r.type} | \`${cell(value)}\` | ${r.need}: ${cell(r.note)} | ${rules} | [${cell(r.source.document)}](${r.source.url}) |`);
      }
      out.push('');
    }
  }
  out.push('#### Clouds (`--cloud`)', '', '| cloud | `_sipfederationtls._tcp` target | `_sip._tls` target, `sip` CNAME | `lyncdiscover` CNAME | source |', '|---|---|---|---|---|');
  for (const c of CLOUD_NAMES) {
    const d = CLOUDS[c];
    const sources = d.sources.map((s) => `[${cell(s.document)}](${s.url})`).join('; ');
    const optional = d.optional.length > 0 ? ' (the current page lists only the federation SRV: the others are info when absent)' : '';
    out.push(`| \`${c}\` ${cell(d.title)} | \`${d.sipfed}\` | \`${d.sipdir}\` | \`${d.webdir}\` | ${sources}${optional} |`);
  }
  return `${out.join('\n')}\n`;
}

