/** The DNSSEC family: whether the SRV answers and their targets' addresses are secure (dnssec-srv), and the servers' RRSIGs (auth-rrsig). */
import { defineFamily } from '../types.js';
import { DNSSEC_CATALOGUE, DNSSEC_RULE_IDS } from './catalogue.js';
import { DNSSEC_MESSAGES } from './messages.js';
import { DNSSEC_RULES } from './rules.js';

/** The family as src/rules/catalogue.ts lists it. */
export const DNSSEC_FAMILY = defineFamily({
  name: 'dnssec',
  ids: DNSSEC_RULE_IDS,
  catalogue: DNSSEC_CATALOGUE,
  rules: DNSSEC_RULES,
  messages: DNSSEC_MESSAGES,
  // Every domain checked through a resolver has a dnssec-srv finding; its facts are the dnssec section's.
  factsInDnssec: ['dnssec-srv'],
  // dnssec-srv has the table's DNSSEC column; auth-rrsig shares the operations family's.
  columns: [],
});
