#!/usr/bin/env node
// `npx bskmq …`: runs cli/main.ts in a clone after `npm ci`, without a build step. The first run after a
// source change bundles it with esbuild into node_modules/.cache/bskmq/ (with the list of files it read);
// later runs import that bundle directly, which skips the TypeScript loader's start-up (about 0.4 s a
// call, which the Python bridge and the tests pay many times). Should bundling fail, tsx runs the
// sources. Paths are resolved from this file, never from the cwd.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(root, 'node_modules', '.cache', 'bskmq');
const bundle = join(cacheDir, 'cli.mjs');
const manifest = join(cacheDir, 'cli.inputs.json');

/** Size and mtime of a file, or null when it is gone. */
function stamp(file) {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/** The bundle, if every file it was built from is unchanged. */
function fresh() {
  try {
    const inputs = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const [file, was] of Object.entries(inputs)) if (stamp(join(root, file)) !== was) return false;
    return stamp(bundle) !== null;
  } catch {
    return false;
  }
}

async function build() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(root, 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    absWorkingDir: root,
    tsconfig: join(root, 'tsconfig.node.json'),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) inputs[file] = stamp(join(root, file));
  inputs['package.json'] = stamp(join(root, 'package.json'));
  mkdirSync(cacheDir, { recursive: true });
  // Written beside and renamed, so a run started meanwhile never reads half a file.
  const tmp = `${bundle}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, bundle);
  writeFileSync(`${manifest}.${process.pid}.tmp`, JSON.stringify(inputs));
  renameSync(`${manifest}.${process.pid}.tmp`, manifest);
}

async function load() {
  if (!fresh()) {
    try {
      await build();
    } catch {
      const { tsImport } = await import('tsx/esm/api');
      const tsconfig = join(root, 'tsconfig.node.json');
      return tsImport('../cli/main.ts', { parentURL: import.meta.url, tsconfig });
    }
  }
  return import(pathToFileURL(bundle).href);
}

const { main } = await load();
process.exitCode = await main(process.argv.slice(2));
