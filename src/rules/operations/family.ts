/** The operations family: operator expectations (`*-target-expected`) and the authoritative mode (`auth-*`). */
import { defineFamily } from '../types.js';
import { OPERATIONS_MESSAGES } from './messages.js';
import { OPERATIONS_CATALOGUE, OPERATIONS_RULE_IDS, EXPECTED_COLUMN, AUTHORITATIVE_COLUMN } from './catalogue.js';
import { OPERATIONS_RULES } from './rules.js';

/** The family as src/rules/catalogue.ts lists it. */
export const OPERATIONS_FAMILY = defineFamily({
  name: 'operations',
  ids: OPERATIONS_RULE_IDS,
  catalogue: OPERATIONS_CATALOGUE,
  rules: OPERATIONS_RULES,
  messages: OPERATIONS_MESSAGES,
  columns: [EXPECTED_COLUMN, AUTHORITATIVE_COLUMN],
});
