/** The TLS probe's family (`--probe`): connections, versions and certificates of every SRV target address. */
import { defineFamily } from '../types.js';
import { TLS_MESSAGES } from './messages.js';
import { TLS_CATALOGUE, TLS_RULE_IDS, SIP_TLS_COLUMN, XMPP_TLS_COLUMN } from './catalogue.js';
import { TLS_RULES } from './rules.js';

/** The family as src/rules/catalogue.ts lists it. */
export const TLS_FAMILY = defineFamily({
  name: 'tls',
  ids: TLS_RULE_IDS,
  catalogue: TLS_CATALOGUE,
  rules: TLS_RULES,
  messages: TLS_MESSAGES,
  columns: [SIP_TLS_COLUMN, XMPP_TLS_COLUMN],
});
