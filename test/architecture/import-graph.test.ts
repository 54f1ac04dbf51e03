/**
 * The import graph of src/, read by dependency-cruiser from the TypeScript
 * sources (type-only imports included: a type cycle ties modules together as
 * much as a value one). Two rules: no cycle, and layers only look down.
 *
 * Layers, lowest first (a module may import its own layer and any lower one):
 *   dns, zone          wire formats, transports, the zone engine
 *   lookup             typed DNS outcomes
 *   probe              TLS probes; its observation holds the TLSA lookups (typed outcomes)
 *   rules              pure judgements of observations, the catalogue, profiles
 *   input              command line, files, previous reports → a run plan
 *   check              observe a domain and judge it: the run result
 *   report             text at the edge
 *   cli, index         on top
 * The top-level leaves (errors, escape, exit-codes, package-files, result, version) may be
 * imported from anywhere and import no layer.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IRegularForbiddenRuleType } from 'dependency-cruiser';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const LAYERS: Readonly<Record<string, number>> = { dns: 0, zone: 0, lookup: 1, probe: 2, rules: 3, input: 4, check: 5, report: 6 };
const LEAVES = ['errors', 'escape', 'exit-codes', 'package-files', 'result', 'version'];

/**
 * Known violations, each `rule: from -> to`: none now. Should one ever have
 * to be listed, the test fails on a violation not listed and on a listed one
 * that is gone, so the list stays true.
 */
const ALLOWED = new Set<string>([]);

function forbidden(): IRegularForbiddenRuleType[] {
  const names = Object.keys(LAYERS);
  const leaves = `^src/(${LEAVES.join('|')})\\.ts$`;
  return [
    { name: 'no-cycle', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
    ...names.map((layer): IRegularForbiddenRuleType => {
      const higher = names.filter((n) => LAYERS[n]! > LAYERS[layer]!);
      return { name: `${layer}-looks-down`, severity: 'error', from: { path: `^src/${layer}/` }, to: { path: `^src/(${[...higher, 'cli', 'index'].join('|')})(/|\\.ts$)` } };
    }),
    { name: 'leaves-import-no-layer', severity: 'error', from: { path: leaves }, to: { path: '^src/', pathNot: leaves } },
  ];
}

async function graph(): Promise<ICruiseResult> {
  const result = await cruise(
    ['src'],
    { baseDir: ROOT, tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' }, exclude: { path: 'node_modules' }, validate: true, ruleSet: { forbidden: forbidden() } },
    undefined,
    { tsConfig: { fileName: `${ROOT}tsconfig.json` } },
  );
  assert.equal(typeof result.output, 'object', 'dependency-cruiser returns its result as an object');
  return result.output as ICruiseResult;
}

test('the import graph of src/ has no cycle and no upward arrow beyond the known ones, and every known one is still there', async () => {
  const result = await graph();
  // The cruise saw the tree: every layer's modules, with their dependencies resolved to files.
  const modules = result.modules.map((m) => m.source);
  for (const layer of Object.keys(LAYERS)) assert.ok(modules.some((m) => m.startsWith(`src/${layer}/`)), `modules of src/${layer}/ read`);
  assert.ok(result.modules.find((m) => m.source === 'src/lookup/resolve.ts')?.dependencies.some((d) => d.resolved === 'src/dns/codec.ts'), 'imports resolved (.js to .ts)');

  const found = new Set(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`));
  assert.deepEqual([...found].filter((v) => !ALLOWED.has(v)).sort(), [], 'new violations: fix the import, do not list it');
  assert.deepEqual([...ALLOWED].filter((v) => !found.has(v)).sort(), [], 'fixed: remove these from ALLOWED');
});

test('the rules catch what they are for: an upward import and a cycle', async () => {
  const result = await graph();
  const rules = forbidden();
  const pattern = (name: string, side: 'from' | 'to'): RegExp => new RegExp(String(rules.find((r) => r.name === name)![side].path));
  for (const above of ['src/lookup/resolve.ts', 'src/report/table.ts', 'src/cli.ts', 'src/index.ts']) assert.ok(pattern('dns-looks-down', 'to').test(above), above);
  for (const below of ['src/dns/codec.ts', 'src/zone/zone.ts', 'src/escape.ts']) assert.ok(!pattern('dns-looks-down', 'to').test(below), below);
  assert.ok(pattern('rules-looks-down', 'to').test('src/check/run.ts') && !pattern('rules-looks-down', 'to').test('src/lookup/types.ts'));
  assert.ok(pattern('leaves-import-no-layer', 'from').test('src/escape.ts') && !pattern('leaves-import-no-layer', 'from').test('src/cli.ts'));
});

test('a cycle is caught, with the modules on it (two modules importing each other)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedcheck-cycle-'));
  try {
    writeFileSync(join(dir, 'a.mjs'), "import { b } from './b.mjs';\nexport const a = () => b;\n");
    writeFileSync(join(dir, 'b.mjs'), "import { a } from './a.mjs';\nexport const b = () => a;\n");
    const result = await cruise(['.'], { baseDir: dir, validate: true, ruleSet: { forbidden: [{ name: 'no-cycle', severity: 'error', from: {}, to: { circular: true } }] } });
    const output = result.output as ICruiseResult;
    const cycle = output.summary.violations.find((v) => v.rule.name === 'no-cycle');
    assert.ok(cycle?.cycle !== undefined && cycle.cycle.length >= 2, 'the cycle comes with its path');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
