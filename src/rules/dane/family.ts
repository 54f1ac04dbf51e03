/** The DANE family (`--probe`): the TLSA records of every probed SRV target against the chain it sends. */
import { defineFamily } from '../types.js';
import { DANE_CATALOGUE, DANE_COLUMN, DANE_RULE_IDS } from './catalogue.js';
import { DANE_MESSAGES } from './messages.js';
import { DANE_RULES } from './rules.js';

/** The family as src/rules/catalogue.ts lists it. */
export const DANE_FAMILY = defineFamily({
  name: 'dane',
  ids: DANE_RULE_IDS,
  catalogue: DANE_CATALOGUE,
  rules: DANE_RULES,
  messages: DANE_MESSAGES,
  columns: [DANE_COLUMN],
});
