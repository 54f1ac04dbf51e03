/**
 * Deployment profiles as data: which rules of the catalogue apply to a SIP
 * domain, the expectation defaults each profile sets, and the records each
 * one calls for (with the documents that call for them). `fedcheck profiles`
 * lists this, `fedcheck plan` prints it as zone-file records, and the rules
 * read the expected values (Microsoft's names per cloud) from here.
 */
import { nameKey } from '../../dns/codec.js';
import { nameIsAtOrBelow } from '../../dns/name-text.js';
import { CORE_RULE_IDS, type CoreRuleId } from '../federation/catalogue.js';
import type { ProfileRuleId } from './catalogue.js';
import { PUSH_NOTE, SIP_TABLE, XMPP_TABLE } from '../federation/sources.js';
import { DOD_DNS, GCC_HIGH_DNS, LYNC2013_EDGE_DNS, M365_ADD_DNS_RECORDS, RFC6120_SRV, SFB2019_REMOVED, SFB_DNS_PERIMETER, SFB_EDGE_DNS, TEAMS_ONLY_DNS, XEP0368 } from './sources.js';
import { DEFAULT_EXPECTATIONS, type DomainExpectations, type Source, type XmppExpectation } from '../types.js';
import { CLOUD_NAMES, DEFAULT_PROFILE, PROFILE_NAMES, type CloudName, type EdgeHostRole, type ProfileName } from './names.js';

/** The rules a profile selects among: the core's and the profiles' own. */
type RuleId = CoreRuleId | ProfileRuleId;

export * from './names.js';

/** What each named host is, for messages and the profile listing. */
export const EDGE_HOST_TITLES: { readonly [R in EdgeHostRole]: string } = {
  webcon: 'Web Conferencing Edge',
  av: 'A/V Edge',
  meet: 'meet simple URL (reverse proxy)',
  dialin: 'dial-in simple URL (reverse proxy)',
};

/** The three records Microsoft's Online service answers at, besides the federation SRV. */
export type OnlineRecord = 'sip-tls' | 'sip-cname' | 'lyncdiscover-cname';

/** One Microsoft cloud's Online values. */
export interface CloudDefinition {
  readonly name: CloudName;
  readonly title: string;
  /** Target of `_sip._tls.D` and of the `sip.D` CNAME. */
  readonly sipdir: string;
  /** Target of `_sipfederationtls._tcp.D`. */
  readonly sipfed: string;
  /** Target of the `lyncdiscover.D` CNAME. */
  readonly webdir: string;
  /** Every Microsoft name of this cloud ends with this (how a record is recognised as pointing at it). */
  readonly suffix: string;
  /**
   * Records the cloud's current page no longer lists: absent is `info`, but
   * when present they must still point at this cloud.
   */
  readonly optional: readonly OnlineRecord[];
  /** Where each value is documented. */
  readonly sources: readonly Source[];
}

/** Values of each cloud; nothing here is guessed: each value is in the cited document. */
export const CLOUDS: { readonly [C in CloudName]: CloudDefinition & { readonly name: C } } = {
  worldwide: {
    name: 'worldwide',
    title: 'Microsoft 365 / Office 365 (worldwide)',
    sipdir: 'sipdir.online.lync.com',
    sipfed: 'sipfed.online.lync.com',
    webdir: 'webdir.online.lync.com',
    suffix: 'online.lync.com',
    optional: [],
    sources: [TEAMS_ONLY_DNS, M365_ADD_DNS_RECORDS],
  },
  'gcc-high': {
    name: 'gcc-high',
    title: 'Office 365 GCC High',
    sipdir: 'sipdir.online.gov.skypeforbusiness.us',
    sipfed: 'sipfed.online.gov.skypeforbusiness.us',
    webdir: 'webdir.online.gov.skypeforbusiness.us',
    suffix: 'online.gov.skypeforbusiness.us',
    optional: ['sip-tls', 'sip-cname', 'lyncdiscover-cname'],
    sources: [GCC_HIGH_DNS],
  },
  dod: {
    name: 'dod',
    title: 'Office 365 DoD',
    sipdir: 'sipdir.online.dod.skypeforbusiness.us',
    sipfed: 'sipfed.online.dod.skypeforbusiness.us',
    webdir: 'webdir.online.dod.skypeforbusiness.us',
    suffix: 'online.dod.skypeforbusiness.us',
    optional: ['sip-tls', 'sip-cname', 'lyncdiscover-cname'],
    sources: [DOD_DNS],
  },
  '21vianet': {
    name: '21vianet',
    title: 'Office 365 operated by 21Vianet (China)',
    sipdir: 'sipdir.online.partner.lync.cn',
    sipfed: 'sipfed.online.partner.lync.cn',
    webdir: 'webdir.online.partner.lync.cn',
    suffix: 'online.partner.lync.cn',
    optional: [],
    sources: [M365_ADD_DNS_RECORDS],
  },
};

/** The cloud whose Microsoft names `name` belongs to, if any (case-insensitive, trailing dot ignored). */
export function cloudOfName(name: string): CloudName | undefined {
  const n = nameKey(name);
  return CLOUD_NAMES.find((c) => nameIsAtOrBelow(n, CLOUDS[c].suffix));
}

/**
 * One record a profile calls for. `owner` and `data` use placeholders that
 * `plan` fills in: `@` the SIP domain, `<edge>` the Access Edge FQDN,
 * `<address>` its addresses, `<proxy>` the reverse proxy's addresses,
 * `<sipdir>`, `<sipfed>`, `<webdir>` the cloud's names. Names without a
 * trailing dot are relative to the SIP domain.
 */
export interface ProfileRecord {
  readonly owner: string;
  readonly type: 'SRV' | 'A' | 'CNAME';
  readonly data: string;
  /** Rules of the catalogue this record satisfies. */
  readonly rules: readonly RuleId[];
  /** required: the rules fail without it; optional: publish it only for the feature named in `note`. */
  readonly need: 'required' | 'optional';
  readonly note: string;
  readonly source: Source;
}

/** One deployment profile. */
export interface ProfileDefinition {
  readonly name: ProfileName;
  readonly title: string;
  /** One paragraph: who the profile is for and what it checks beyond the core. */
  readonly summary: string;
  /** Rule ids reported for a domain of this profile; rules that can emit none of them are not run (findings of others are dropped). */
  readonly rules: readonly RuleId[];
  /** Expectation defaults of the profile: below the config's and the command line's. */
  readonly defaults: { readonly xmpp?: XmppExpectation };
  /** The records the profile calls for (Online: per cloud). Empty for `auto`. */
  readonly records: (cloud: CloudDefinition) => readonly ProfileRecord[];
  readonly sources: readonly Source[];
}

const XMPP_RULES = ['xmpp-srv', 'xmpp-port', 'xmpp-target-address', 'xmpp-target-alias'] as const satisfies readonly RuleId[];
const EDGE_RULES: readonly RuleId[] = [
  ...CORE_RULE_IDS,
  'sip-tls-srv',
  'sip-tls-port',
  'sip-tls-target',
  'access-edge-address',
  'lyncdiscover',
  'edge-host-address',
  'xmpps-srv',
  'xmpp-fallback',
  'profile-mismatch',
];

const FEDERATION_RECORDS: readonly ProfileRecord[] = [
  {
    owner: '_sipfederationtls._tcp',
    type: 'SRV',
    data: '0 0 5061 <edge>',
    rules: ['sipfed-srv', 'push-srv', 'sipfed-port', 'sipfed-target-alias', 'sipfed-target-domain'],
    need: 'required',
    note: 'federation discovery and the push notification clearinghouse, one per SIP domain',
    source: PUSH_NOTE,
  },
  {
    owner: '<edge>',
    type: 'A',
    data: '<address>',
    rules: ['sipfed-target-address', 'access-edge-address'],
    need: 'required',
    note: 'the Access Edge external interface',
    source: SIP_TABLE,
  },
  {
    owner: '_xmpp-server._tcp',
    type: 'SRV',
    data: '0 0 5269 <edge>',
    rules: ['xmpp-srv', 'xmpp-port', 'xmpp-target-address', 'xmpp-target-alias'],
    need: 'optional',
    note: 'only with XMPP federation (the XMPP proxy on the Access Edge)',
    source: XMPP_TABLE,
  },
];

const EDGE_ONLY_RECORDS: readonly ProfileRecord[] = [
  {
    owner: '_sip._tls',
    type: 'SRV',
    data: '0 0 443 <edge>',
    rules: ['sip-tls-srv', 'sip-tls-port', 'sip-tls-target'],
    need: 'required',
    note: 'external sign-in (automatic configuration of clients outside the network)',
    source: SFB_EDGE_DNS,
  },
  {
    owner: 'lyncdiscover',
    type: 'A',
    data: '<proxy>',
    rules: ['lyncdiscover'],
    need: 'required',
    note: 'Autodiscover through the reverse proxy (mobile clients; a CNAME to the proxy is fine too)',
    source: SFB_DNS_PERIMETER,
  },
  {
    owner: 'webcon',
    type: 'A',
    data: '<webcon>',
    rules: ['edge-host-address'],
    need: 'optional',
    note: 'Web Conferencing Edge external interface (checked when named in the config)',
    source: SFB_EDGE_DNS,
  },
  {
    owner: 'av',
    type: 'A',
    data: '<av>',
    rules: ['edge-host-address'],
    need: 'optional',
    note: 'A/V Edge external interface (checked when named in the config)',
    source: SFB_EDGE_DNS,
  },
  {
    owner: 'meet',
    type: 'A',
    data: '<proxy>',
    rules: ['edge-host-address'],
    need: 'optional',
    note: 'meet simple URL through the reverse proxy (checked when named in the config)',
    source: SFB_DNS_PERIMETER,
  },
  {
    owner: 'dialin',
    type: 'A',
    data: '<proxy>',
    rules: ['edge-host-address'],
    need: 'optional',
    note: 'dial-in simple URL through the reverse proxy (checked when named in the config)',
    source: SFB_DNS_PERIMETER,
  },
];

function onlineRecords(cloud: CloudDefinition): readonly ProfileRecord[] {
  const need = (r: OnlineRecord): ProfileRecord['need'] => (cloud.optional.includes(r) ? 'optional' : 'required');
  const source = cloud.sources[0] ?? TEAMS_ONLY_DNS;
  const lapsed = ` (the current ${cloud.title} page lists only the federation SRV; if published, it must point here)`;
  return [
    {
      owner: '_sip._tls',
      type: 'SRV',
      data: '100 1 443 <sipdir>',
      rules: ['online-sip-tls'],
      need: need('sip-tls'),
      note: `client sign-in at Microsoft${need('sip-tls') === 'optional' ? lapsed : ''}`,
      source,
    },
    {
      owner: '_sipfederationtls._tcp',
      type: 'SRV',
      data: '100 1 5061 <sipfed>',
      rules: ['sipfed-srv', 'push-srv', 'sipfed-port', 'sipfed-target-address', 'online-sipfed-target'],
      need: 'required',
      note: 'federation and the push notification clearinghouse, at Microsoft',
      source,
    },
    {
      owner: 'sip',
      type: 'CNAME',
      data: '<sipdir>',
      rules: ['online-sip-cname'],
      need: need('sip-cname'),
      note: `clients that locate the service by name${need('sip-cname') === 'optional' ? lapsed : ''}`,
      source,
    },
    {
      owner: 'lyncdiscover',
      type: 'CNAME',
      data: '<webdir>',
      rules: ['online-lyncdiscover-cname'],
      need: need('lyncdiscover-cname'),
      note: `Autodiscover at Microsoft${need('lyncdiscover-cname') === 'optional' ? lapsed : ''}`,
      source,
    },
  ];
}

/** Every profile, keyed by name; a missing entry is a compile error. */
export const PROFILES: { readonly [P in ProfileName]: ProfileDefinition & { readonly name: P } } = {
  federation: {
    name: 'federation',
    title: 'SIP federation, push notifications and XMPP (the default)',
    summary:
      'What fedcheck checks without a profile: _sipfederationtls._tcp (discovery and the push notification clearinghouse) and, when wanted, _xmpp-server._tcp, with their targets.',
    rules: CORE_RULE_IDS,
    defaults: {},
    records: () => FEDERATION_RECORDS,
    sources: [SIP_TABLE, PUSH_NOTE, XMPP_TABLE],
  },
  edge: {
    name: 'edge',
    title: 'Lync Server 2013 / Skype for Business Server 2015 on-premises edge',
    summary:
      'federation plus external access: _sip._tls SRV 443 to the Access Edge FQDN, that FQDN with an A record, lyncdiscover (mobile autodiscover), the hosts named in the config (webcon, av, meet, dialin), direct-TLS XMPP (XEP-0368) and the RFC 6120 fallback when _xmpp-server is absent, and a note when records point at Microsoft Online.',
    rules: EDGE_RULES,
    defaults: {},
    records: () => [...FEDERATION_RECORDS.slice(0, 2), ...EDGE_ONLY_RECORDS, FEDERATION_RECORDS[2]!],
    sources: [LYNC2013_EDGE_DNS, SFB_EDGE_DNS, SFB_DNS_PERIMETER, XMPP_TABLE, RFC6120_SRV, XEP0368],
  },
  'sfb2019-edge': {
    name: 'sfb2019-edge',
    title: 'Skype for Business Server 2019 on-premises edge',
    summary: 'edge without XMPP: the XMPP gateway and proxy were removed in Skype for Business Server 2019, so XMPP is off unless asked for.',
    rules: EDGE_RULES,
    defaults: { xmpp: 'off' },
    records: () => [...FEDERATION_RECORDS.slice(0, 2), ...EDGE_ONLY_RECORDS],
    sources: [SFB_EDGE_DNS, SFB_DNS_PERIMETER, SFB2019_REMOVED],
  },
  online: {
    name: 'online',
    title: 'Skype for Business Online / Microsoft Teams',
    summary:
      "Microsoft's four records, values checked exactly (--cloud for the sovereign clouds): targets outside D and CNAMEs are what Microsoft asks for, so sipfed-target-domain and sipfed-target-alias are not reported; XMPP is off (Microsoft's list has no XMPP record).",
    rules: [
      'sipfed-srv',
      'push-srv',
      'sipfed-port',
      'sipfed-target-address',
      ...XMPP_RULES,
      'online-sip-tls',
      'online-sipfed-target',
      'online-sip-cname',
      'online-lyncdiscover-cname',
      'profile-mismatch',
    ],
    defaults: { xmpp: 'off' },
    records: onlineRecords,
    sources: [TEAMS_ONLY_DNS, M365_ADD_DNS_RECORDS, GCC_HIGH_DNS, DOD_DNS],
  },
  auto: {
    name: 'auto',
    title: 'Decide per domain from what is published',
    summary:
      'online when a record points at Microsoft Online (the cloud from the names found, unless --cloud), else edge when _sip._tls exists, else federation; the profile-auto finding says which and why.',
    rules: [],
    defaults: {},
    records: () => [],
    sources: [TEAMS_ONLY_DNS],
  },
};

/** Parse a profile name (from the command line or a config), or undefined. */
export function profileName(text: string): ProfileName | undefined {
  return (PROFILE_NAMES as readonly string[]).includes(text) ? (text as ProfileName) : undefined;
}

/** Parse a cloud name, or undefined. */
export function cloudName(text: string): CloudName | undefined {
  return (CLOUD_NAMES as readonly string[]).includes(text) ? (text as CloudName) : undefined;
}

/**
 * A domain's expectations from layered settings, later layers winning:
 * built-in defaults, then the defaults of the domain's profile (the last
 * `profile` any layer names), then each layer in order (typically the
 * config's defaults, the domain's config entry, the command line). So
 * `--profile sfb2019-edge` turns XMPP off unless a layer says otherwise.
 */
export function layerExpectations(layers: readonly Partial<DomainExpectations>[]): DomainExpectations {
  let profile: ProfileName = DEFAULT_PROFILE;
  for (const layer of layers) if (layer.profile !== undefined) profile = layer.profile;
  let merged: DomainExpectations = { ...DEFAULT_EXPECTATIONS, ...PROFILES[profile].defaults };
  for (const layer of layers) {
    // Copy only the keys a layer sets, so an explicit `undefined` cannot erase a default.
    const defined = Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined)) as Partial<DomainExpectations>;
    merged = { ...merged, ...defined };
  }
  return merged;
}
