import type { RuleInfo } from './catalogue.js';

/** Rules of the authoritative mode (auth-*) and operator expectations (*-expected). Ids are public interface: never rename one. */
export const OPERATIONS_RULE_IDS = [] as const;

export type OperationsRuleId = (typeof OPERATIONS_RULE_IDS)[number];

/** Their catalogue entries; a missing entry is a compile error. */
export const OPERATIONS_CATALOGUE: { readonly [K in OperationsRuleId]: RuleInfo & { readonly id: K } } = {};
