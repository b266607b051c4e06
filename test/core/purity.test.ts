import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * src/core is pure TypeScript that the app, the workers, the CLI and the
 * tests all run. tsconfig.core.json already rejects DOM and node globals; this
 * guards the imports a type checker cannot see as wrong.
 */
const coreDir = join(__dirname, '../../src/core');
const ALLOWED_PACKAGES = new Set(['fflate', 'pickleparser']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('src/core purity', () => {
  const files = sourceFiles(coreDir);
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });
  it('imports only relative modules and the allowed pure packages (no React, Comlink, Zustand, D3, node:)', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(
        /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
      )) {
        const spec = match[1] ?? match[2];
        if (spec.startsWith('.')) continue;
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!ALLOWED_PACKAGES.has(pkg)) offenders.push(`${relative(coreDir, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
