/** The --compare family: every resolver gives the same records. */
import { defineFamily } from '../types.js';
import { COMPARE_MESSAGES } from './messages.js';
import { COMPARE_CATALOGUE, COMPARE_RULE_IDS, COMPARE_COLUMN } from './catalogue.js';
import { COMPARE_RULES } from './rules.js';

/** The family as src/rules/catalogue.ts lists it. */
export const COMPARE_FAMILY = defineFamily({
  name: 'compare',
  ids: COMPARE_RULE_IDS,
  catalogue: COMPARE_CATALOGUE,
  rules: COMPARE_RULES,
  messages: COMPARE_MESSAGES,
  columns: [COMPARE_COLUMN],
});
