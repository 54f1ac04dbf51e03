import type { CatalogueOf, TableColumn } from '../types.js';
import { ADVANCED_EDGE_DNS } from '../federation/sources.js';

/** The table's column of --compare, shown when a domain has findings in it. */
export const COMPARE_COLUMN: TableColumn = { title: 'Resolvers agree', optional: true };

/** Rules of `--compare` (several resolvers asked every question). Ids are public interface: never rename one. */
export const COMPARE_RULE_IDS = ['resolver-consistency'] as const;

export type CompareRuleId = (typeof COMPARE_RULE_IDS)[number];

/** Their catalogue entries; a missing entry is a compile error. */
export const COMPARE_CATALOGUE: CatalogueOf<CompareRuleId> = {
  'resolver-consistency': {
    id: 'resolver-consistency',
    title: 'Every resolver gives the same records',
    record: 'every name looked up for D: _sipfederationtls._tcp.D SRV, _xmpp-server._tcp.D SRV, A/AAAA of their targets',
    severity: 'warn',
    softened: 'only with --compare and two or more resolvers; a resolver that could not answer does not count as disagreeing',
    breaks:
      'Who reaches D depends on which resolver they use (split-horizon DNS, or caches still holding old records during a change): federation partners, the push notification clearinghouse and your own Edge Server may see different SRV targets or addresses.',
    source: { document: ADVANCED_EDGE_DNS.document, section: 'Split-brain DNS', url: ADVANCED_EDGE_DNS.url },
    column: COMPARE_COLUMN,
  },
};
