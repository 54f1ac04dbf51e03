/**
 * The core federation family's English: one template per message code, from
 * the finding's facts alone (src/rules/messages.ts). The SRV helpers of
 * service-rules.ts use them for the profiles' SRV rules too.
 */
import { absenceText, count, speaker, type Absence, type LookupFact } from '../messages.js';
import type { MissingDot } from './missing-dot.js';

/** One SRV record, as the findings carry it. */
export type SrvFact = { readonly priority: number; readonly weight: number; readonly port: number; readonly target: string };

/** What an SRV owner holds, as far as presence rules care (srvPresence). */
export type PresenceFacts =
  | { readonly owner: string; readonly state: 'usable'; readonly records: readonly SrvFact[] }
  | { readonly owner: string; readonly state: 'root-only' }
  | { readonly owner: string; readonly state: 'absent'; readonly absence: Absence }
  | { readonly owner: string; readonly state: 'error'; readonly lookup: LookupFact };

/** The presence of an SRV owner in words, without a full stop: `_sip._tls.D has 1 SRV record: 0 0 443 sip.D`. */
export function presenceText(p: PresenceFacts): string {
  switch (p.state) {
    case 'usable':
      return `${p.owner} has ${count(p.records.length, 'SRV record')}: ${p.records.map((r) => `${r.priority} ${r.weight} ${r.port} ${r.target}`).join(', ')}`;
    case 'root-only':
      return `${p.owner} has only an SRV record with target ".", which says the service is decidedly not available (RFC 2782)`;
    case 'absent':
      return `${p.owner} SRV is absent: ${absenceText(p.absence, 'SRV')}`;
    case 'error':
      return `${p.owner} SRV could not be checked: ${p.lookup.detail}`;
  }
}

/**
 * The hint a finding adds for a target written without its trailing dot (empty when there is none):
 * ` (probably sipfed.online.lync.com. written in the zone file without its trailing dot, so the origin example.com was appended to it)`.
 */
export function missingDotText(hint: MissingDot | null | undefined): string {
  return hint == null ? '' : ` (probably ${hint.meant}. written in the zone file without its trailing dot, so the origin ${hint.origin} was appended to it)`;
}

const via = (cname: string | null): string => (cname === null ? '' : ` (via CNAME ${cname})`);

type Target = { readonly owner: string; readonly target: string };

/** The core family's templates, by message code (codes are unique across families: src/rules/catalogue.ts renderMessage). */
export const FEDERATION_MESSAGES = {
  // sipfed-srv, push-srv, xmpp-srv (and the profiles' sip-tls-srv)
  'srv-usable': (f: PresenceFacts & { readonly state: 'usable' }) => `${presenceText(f)}.`,
  'srv-root-only': (f: PresenceFacts & { readonly state: 'root-only' }) => `${presenceText(f)}.`,
  'srv-absent': (f: PresenceFacts & { readonly state: 'absent' }) => `${presenceText(f)}.`,
  'srv-unknown': (f: PresenceFacts & { readonly state: 'error' }) => `${presenceText(f)}.`,
  'push-unreachable': (f: PresenceFacts & { readonly state: 'absent' | 'root-only'; readonly domain: string }) =>
    `${presenceText(f)}: the push notification clearinghouse cannot reach ${f.domain}, so its mobile users get no push notifications.`,
  // *-port
  'port-right': (f: { readonly owner: string; readonly port: number }) => `Every ${f.owner} SRV record uses port ${f.port}.`,
  'port-wrong': (f: { readonly owner: string; readonly port: number; readonly wrong: readonly SrvFact[] }) =>
    `${f.owner} SRV uses the wrong port (${f.wrong.map((r) => `${r.target} port ${r.port}`).join(', ')}); it must be ${f.port}.`,
  // *-target-address
  'address-a': (f: Target & { readonly addresses: readonly string[]; readonly cname: string | null }) =>
    `SRV target ${f.target} of ${f.owner} has A ${f.addresses.join(', ')}${via(f.cname)}.`,
  'address-a-unknown': (f: Target & { readonly lookup: LookupFact; readonly missingDot: MissingDot | null }) =>
    `A record of SRV target ${f.target} of ${f.owner} could not be checked: ${f.lookup.detail}${missingDotText(f.missingDot)}.`,
  'address-aaaa-only': (f: Target & { readonly addresses: readonly string[]; readonly cname: string | null }) =>
    `SRV target ${f.target} of ${f.owner} has only AAAA ${f.addresses.join(', ')}${via(f.cname)}, no A record: IPv4-only partners cannot reach it.`,
  'address-aaaa-unknown': (f: Target & { readonly lookup: LookupFact }) =>
    `SRV target ${f.target} of ${f.owner} has no A record, and its AAAA record could not be checked: ${f.lookup.detail}.`,
  'address-none': (f: Target & { readonly absence: Absence; readonly missingDot: MissingDot | null }) =>
    `SRV target ${f.target} of ${f.owner} has no address: ${absenceText(f.absence, 'A')}${missingDotText(f.missingDot)}.`,
  // *-target-alias
  'alias-cname': (f: Target & { readonly chain: readonly string[] }) =>
    `SRV target ${f.target} of ${f.owner} is an alias (CNAME ${[f.target, ...f.chain].join(' → ')}); RFC 2782 requires the target to be a host name with address records.`,
  'alias-unknown': (f: Target & { readonly lookup: LookupFact }) => `Whether SRV target ${f.target} of ${f.owner} is an alias could not be checked: ${f.lookup.detail}.`,
  'alias-none': (f: Target) => `SRV target ${f.target} of ${f.owner} is not an alias.`,
  // sipfed-target-domain
  'target-inside': (f: Target & { readonly domain: string }) => `SRV target ${f.target} of ${f.owner} lies in ${f.domain}.`,
  'target-outside': (f: Target & { readonly domain: string }) =>
    `SRV target ${f.target} of ${f.owner} lies outside ${f.domain}: partners with strict name matching may refuse it, and the edge certificate must carry ${f.target}.`,
};

/** A finding of the core family's templates. */
export const say = speaker(FEDERATION_MESSAGES);
