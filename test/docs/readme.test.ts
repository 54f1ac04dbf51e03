/**
 * The README's generated blocks stay identical to what the code prints, and
 * its two commands are the ones CI runs.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderProfiles } from '../../src/rules/profile-listing.js';
import { catalogueMarkdown } from '../../src/rules/markdown.js';
import { exitCodeMarkdown } from '../../src/exit-codes.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const ci = readFileSync(new URL('../../../.ci/run', import.meta.url), 'utf8');

function block(name: string): string {
  const start = readme.indexOf(`<!-- ${name}:start -->\n`);
  const end = readme.indexOf(`<!-- ${name}:end -->`);
  assert.ok(start >= 0 && end > start, `README has no ${name} block`);
  return readme.slice(start + `<!-- ${name}:start -->\n`.length, end);
}

describe('README', () => {
  it('profile tables are `fedcheck profiles --format markdown`', () => {
    assert.equal(block('profiles'), renderProfiles('markdown'));
  });

  it('rule table is `fedcheck rules --format markdown`', () => {
    assert.equal(block('rules'), catalogueMarkdown());
  });

  it('exit-status table is src/exit-codes.ts', () => {
    assert.equal(block('exit-codes'), exitCodeMarkdown());
  });

  it('CI runs the README test command, and the quick start', () => {
    const test = /## Run the whole test suite\n\n```sh\n(.+)\n```/.exec(readme)?.[1];
    const quick = /## Quick start[^\n]*\n\n```sh\n(.+)\n```/.exec(readme)?.[1];
    assert.ok(test !== undefined && quick !== undefined, 'README names both commands');
    assert.ok(ci.split('\n').includes(test), `.ci/run does not run \`${test}\``);
    assert.ok(ci.includes(quick.replace(/^npm ci && /, '')), `.ci/run does not run the quick start`);
  });
});
