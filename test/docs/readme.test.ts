/**
 * The README and the pages of docs/: generated blocks identical to what the
 * code prints, every page reachable from the README, every relative link
 * pointing at a file (and heading) that exists, the README short, and its two
 * commands the ones CI runs.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderProfiles } from '../../src/rules/profiles/listing.js';
import { catalogueMarkdown } from '../../src/rules/markdown.js';
import { exitCodeMarkdown } from '../../src/exit-codes.js';

// dist/test/docs/ → the repository root.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const readme = read('README.md');
const ci = read('.ci/run');
const PAGES = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);

/** The text between `<!-- name:start -->` and `<!-- name:end -->` of a file. */
function block(path: string, name: string): string {
  const text = read(path);
  const start = text.indexOf(`<!-- ${name}:start -->\n`);
  const end = text.indexOf(`<!-- ${name}:end -->`);
  assert.ok(start >= 0 && end > start, `${path} has no ${name} block`);
  return text.slice(start + `<!-- ${name}:start -->\n`.length, end);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** The anchors of a Markdown file's headings (outside code blocks). */
function anchors(text: string): Set<string> {
  let code = false;
  const found = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) code = !code;
    const m = code ? null : /^#{1,6} (.+)$/.exec(line);
    if (m) found.add(anchorOf(m[1]!));
  }
  return found;
}

/** Relative links `[text](target)` of a Markdown file, outside code blocks. */
function links(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t));
}

describe('README and docs', () => {
  it('profile tables (docs/profiles.md) are `fedcheck profiles --format markdown`', () => {
    assert.equal(block('docs/profiles.md', 'profiles'), renderProfiles('markdown'));
  });

  it('rule table (docs/rules.md) is `fedcheck rules --format markdown`', () => {
    assert.equal(block('docs/rules.md', 'rules'), catalogueMarkdown());
  });

  it("the README's exit-status table is src/exit-codes.ts", () => {
    assert.equal(block('README.md', 'exit-codes'), exitCodeMarkdown());
  });

  it('the README is short: at most 15 kB', () => {
    assert.ok(Buffer.byteLength(readme) <= 15 * 1024, `README.md is ${Buffer.byteLength(readme)} bytes; move the detail to a page of docs/`);
  });

  it('every page of docs/ is linked from the README, and links back to it', () => {
    assert.ok(PAGES.length >= 10, PAGES.join(' '));
    const fromReadme = new Set(links(readme).map((l) => l.split('#')[0]));
    for (const page of PAGES) {
      assert.ok(fromReadme.has(page), `README links ${page}`);
      assert.ok(links(read(page)).some((l) => l.startsWith('../README.md')), `${page} links back to the README`);
    }
    assert.ok(fromReadme.has('docs/fedcheck.1'), 'README links the manual page');
  });

  it('every relative link of the README and docs/ names a file that exists, and a heading it has', () => {
    for (const path of ['README.md', ...PAGES]) {
      for (const link of links(read(path))) {
        const [file, anchor] = link.split('#') as [string, string | undefined];
        const target = file === '' ? path : normalize(join(dirname(path), file));
        assert.ok(existsSync(join(ROOT, target)), `${path}: link ${link}: ${target} does not exist`);
        if (anchor !== undefined && target.endsWith('.md')) assert.ok(anchors(read(target)).has(anchor), `${path}: link ${link}: ${target} has no heading #${anchor}`);
      }
    }
  });

  it('CI runs the README test command, and the quick start', () => {
    const test = /## Run the whole test suite\n\n```sh\n(.+)\n```/.exec(readme)?.[1];
    const quick = /## Quick start[^\n]*\n\n```sh\n(.+)\n```/.exec(readme)?.[1];
    assert.ok(test !== undefined && quick !== undefined, 'README names both commands');
    assert.ok(ci.split('\n').includes(test), `.ci/run does not run \`${test}\``);
    assert.ok(ci.includes(quick.replace(/^npm ci && /, '')), `.ci/run does not run the quick start`);
  });
});
