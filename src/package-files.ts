import { existsSync } from 'node:fs';

let root: URL | undefined;

/**
 * A file shipped with the package (`package.json`, `schema/…`), by its path
 * from the package root. The root is the nearest directory above the running
 * code that holds a package.json: the same from the compiled modules
 * (`dist/src/…`, each at its own depth) and from the CLI's bundle
 * (`dist/bundle/`), so no module writes out how deep it sits.
 */
export function packageFile(path: string): URL {
  root ??= findRoot();
  return new URL(path, root);
}

function findRoot(): URL {
  for (let dir = new URL('./', import.meta.url); ; ) {
    if (existsSync(new URL('package.json', dir))) return dir;
    const up = new URL('../', dir);
    if (up.href === dir.href) throw new Error(`no package.json above ${import.meta.url}`);
    dir = up;
  }
}
