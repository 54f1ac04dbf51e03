import { CATALOGUE, RULE_IDS } from './catalogue.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * The catalogue as a Markdown table. The rule table of docs/rules.md is this output
 * (between `<!-- rules:start -->` and `<!-- rules:end -->`), and a test keeps
 * the two identical: `fedcheck rules --format markdown` regenerates it.
 */
export function catalogueMarkdown(): string {
  const rows = RULE_IDS.map((id) => {
    const r = CATALOGUE[id];
    const severity = r.softened ? `${r.severity} (${r.softened})` : r.severity;
    const source = `[${r.source.document}](${r.source.url})${r.source.section ? `, ${r.source.section}` : ''}`;
    return `| \`${r.id}\` | \`${cell(r.record)}\` | ${cell(severity)} | ${cell(r.breaks)} | ${cell(source)} |`;
  });
  return ['| rule | record | when violated | what breaks | source |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
