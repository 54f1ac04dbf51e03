import type { RuleInfo } from './catalogue.js';

/** Rules of the deployment profiles (edge, sfb2019-edge, online, auto). Ids are public interface: never rename one. */
export const PROFILE_RULE_IDS = [] as const;

export type ProfileRuleId = (typeof PROFILE_RULE_IDS)[number];

/** Their catalogue entries; a missing entry is a compile error. */
export const PROFILE_CATALOGUE: { readonly [K in ProfileRuleId]: RuleInfo & { readonly id: K } } = {};
