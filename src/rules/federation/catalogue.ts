/**
 * The core federation family's catalogue slice: the records of the Lync
 * Server 2013 DNS summary every SIP domain that federates needs
 * (`_sipfederationtls._tcp`, push, `_xmpp-server._tcp`). Ids are public
 * interface: never rename one.
 */
import type { CatalogueOf, TableColumn } from '../types.js';
import { ADVANCED_EDGE_DNS, PUSH_NOTE, RFC2782, SIP_TABLE, XMPP_TABLE } from './sources.js';

/** Rules of the core federation / push / XMPP checks (Lync Server 2013 DNS summary). */
export const CORE_RULE_IDS = [
  'sipfed-srv',
  'push-srv',
  'sipfed-port',
  'sipfed-target-address',
  'sipfed-target-alias',
  'sipfed-target-domain',
  'xmpp-srv',
  'xmpp-port',
  'xmpp-target-address',
  'xmpp-target-alias',
] as const;

export type CoreRuleId = (typeof CORE_RULE_IDS)[number];

/** The table's columns of the core rules, always shown. */
export const SIP_FEDERATION_COLUMN: TableColumn = { title: 'SIP federation', optional: false };
export const PUSH_COLUMN: TableColumn = { title: 'Push (mobility)', optional: false };
/** Also the column of the profiles' XMPP rules (xmpps-srv, xmpp-fallback). */
export const XMPP_COLUMN: TableColumn = { title: 'XMPP', optional: false };

/** The core rules' entries. */
export const CORE_CATALOGUE: CatalogueOf<CoreRuleId> = {
  'sipfed-srv': {
    id: 'sipfed-srv',
    title: 'Federation SRV record published',
    record: '_sipfederationtls._tcp.D SRV',
    severity: 'fail',
    softened: 'info when federation discovery and mobility are both off for D',
    breaks: 'Federation partners cannot discover D (open federation), and the push notification clearinghouse cannot route to it.',
    source: SIP_TABLE,
    column: SIP_FEDERATION_COLUMN,
  },
  'push-srv': {
    id: 'push-srv',
    title: 'Push notification SRV record for a SIP domain with mobile users',
    record: '_sipfederationtls._tcp.D SRV',
    severity: 'fail',
    softened: 'not reported when mobility is off for D',
    breaks: "Push notifications to D's Lync Mobile users (iOS, Windows Phone) silently fail: the push notification clearinghouse cannot reach D.",
    source: PUSH_NOTE,
    column: PUSH_COLUMN,
  },
  'sipfed-port': {
    id: 'sipfed-port',
    title: 'Federation SRV uses port 5061',
    record: '_sipfederationtls._tcp.D SRV',
    severity: 'fail',
    breaks: 'Partners connect to the wrong port and federation (and push notification) connections fail.',
    source: SIP_TABLE,
    column: SIP_FEDERATION_COLUMN,
  },
  'sipfed-target-address': {
    id: 'sipfed-target-address',
    title: 'Federation SRV target has an A record',
    record: 'target of _sipfederationtls._tcp.D A',
    severity: 'fail',
    softened: 'warn when the target has only AAAA records',
    breaks: 'Partners find the SRV but cannot reach the Access Edge: federation and push notifications fail (IPv4-only partners when the target has AAAA only).',
    source: SIP_TABLE,
    column: SIP_FEDERATION_COLUMN,
  },
  'sipfed-target-alias': {
    id: 'sipfed-target-alias',
    title: 'Federation SRV target is not an alias (CNAME)',
    record: 'target of _sipfederationtls._tcp.D',
    severity: 'warn',
    breaks: 'RFC 2782 forbids alias targets; strict SRV clients may refuse them, and certificate name matching may fail.',
    source: RFC2782,
    column: SIP_FEDERATION_COLUMN,
  },
  'sipfed-target-domain': {
    id: 'sipfed-target-domain',
    title: 'Federation SRV target lies in the SIP domain',
    record: 'target of _sipfederationtls._tcp.D',
    severity: 'warn',
    breaks: 'Partners that discover D may refuse a target outside D (strict DNS name matching), and the edge certificate must carry that name.',
    source: ADVANCED_EDGE_DNS,
    column: SIP_FEDERATION_COLUMN,
  },
  'xmpp-srv': {
    id: 'xmpp-srv',
    title: 'XMPP server SRV record published',
    record: '_xmpp-server._tcp.D SRV',
    severity: 'fail',
    softened: 'info when XMPP is optional for D (the default); not reported when off',
    breaks: "XMPP partners cannot find D's XMPP proxy and cannot exchange IM and presence with D's users.",
    source: XMPP_TABLE,
    column: XMPP_COLUMN,
  },
  'xmpp-port': {
    id: 'xmpp-port',
    title: 'XMPP SRV uses port 5269',
    record: '_xmpp-server._tcp.D SRV',
    severity: 'fail',
    breaks: "XMPP partners connect to the wrong port and cannot reach D's XMPP proxy.",
    source: XMPP_TABLE,
    column: XMPP_COLUMN,
  },
  'xmpp-target-address': {
    id: 'xmpp-target-address',
    title: 'XMPP SRV target has an A record',
    record: 'target of _xmpp-server._tcp.D A',
    severity: 'fail',
    softened: 'warn when the target has only AAAA records',
    breaks: "XMPP partners find the SRV but cannot reach the XMPP proxy on the Access Edge (IPv4-only partners when the target has AAAA only).",
    source: XMPP_TABLE,
    column: XMPP_COLUMN,
  },
  'xmpp-target-alias': {
    id: 'xmpp-target-alias',
    title: 'XMPP SRV target is not an alias (CNAME)',
    record: 'target of _xmpp-server._tcp.D',
    severity: 'warn',
    breaks: 'RFC 2782 and RFC 6120 §3.2 forbid alias targets; XMPP servers may refuse to connect.',
    source: RFC2782,
    column: XMPP_COLUMN,
  },
};

