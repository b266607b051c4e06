/**
 * The `test` every spec imports: Playwright's, with an `app` page object, and helpers
 * shared by specs (fixture paths, the fixtures' manifest, the command line).
 */
import { test as base } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Report } from '../src/core/report';
import { ExplorerPage } from './app';

export { expect } from '@playwright/test';

export const REPO = resolve(import.meta.dirname, '..');
export const FORMATS_DIR = resolve(REPO, 'test/fixtures/formats');

/** Absolute path of a format fixture. */
export function fixture(name: string): string {
  return resolve(FORMATS_DIR, name);
}

export interface ManifestTensor {
  name: string;
  shape: number[];
  dtype: string;
  count: number;
  nonFinite: number;
  sum: number;
}
export interface Manifest {
  /** Bad file → a phrase its error message must contain. */
  bad: Record<string, string>;
  files: Record<string, { format: string; tensors: ManifestTensor[] }>;
}

/** test/fixtures/formats/manifest.json: what NumPy/PyTorch wrote into each fixture. */
export const manifest: Manifest = JSON.parse(readFileSync(resolve(FORMATS_DIR, 'manifest.json'), 'utf8')) as Manifest;

/** Runs `bskmq design FILE ARGS…` and parses its JSON report. */
export function cliDesign(file: string, args: string[]): Report {
  const out = execFileSync(process.execPath, [resolve(REPO, 'bin/bskmq.mjs'), 'design', file, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as Report;
}

export const test = base.extend<{ app: ExplorerPage }>({
  app: async ({ page }, use) => {
    await use(new ExplorerPage(page));
  },
});
