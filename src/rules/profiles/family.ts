/** The deployment profiles' family (edge, sfb2019-edge, online, auto): the records an edge or an Online tenant needs beyond the core. */
import { defineFamily } from '../types.js';
import { PROFILE_MESSAGES } from './messages.js';
import { PROFILE_CATALOGUE, PROFILE_RULE_IDS, EXTERNAL_ACCESS_COLUMN, ONLINE_COLUMN } from './catalogue.js';
import { PROFILE_RULES } from './rules.js';

/** The family as src/rules/catalogue.ts lists it. */
export const PROFILES_FAMILY = defineFamily({
  name: 'profiles',
  ids: PROFILE_RULE_IDS,
  catalogue: PROFILE_CATALOGUE,
  rules: PROFILE_RULES,
  messages: PROFILE_MESSAGES,
  columns: [EXTERNAL_ACCESS_COLUMN, ONLINE_COLUMN],
  selectedByProfile: true,
});
