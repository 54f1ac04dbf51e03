/** The core federation family: `_sipfederationtls._tcp`, push and `_xmpp-server._tcp` (Lync Server 2013 DNS summary). */
import { defineFamily } from '../types.js';
import { FEDERATION_MESSAGES } from './messages.js';
import { CORE_CATALOGUE, CORE_RULE_IDS, SIP_FEDERATION_COLUMN, PUSH_COLUMN, XMPP_COLUMN } from './catalogue.js';
import { CORE_RULES } from './rules.js';

/** The family as src/rules/catalogue.ts lists it. */
export const FEDERATION_FAMILY = defineFamily({
  name: 'federation',
  ids: CORE_RULE_IDS,
  catalogue: CORE_CATALOGUE,
  rules: CORE_RULES,
  messages: FEDERATION_MESSAGES,
  columns: [SIP_FEDERATION_COLUMN, PUSH_COLUMN, XMPP_COLUMN],
  selectedByProfile: true,
  passFactsInRecords: true,
});
