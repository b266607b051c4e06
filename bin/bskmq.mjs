#!/usr/bin/env node
// `npx bskmq …`: runs cli/main.ts through tsx's loader API (tsx is a devDependency, so this works in a
// clone after `npm ci` without a build step). Paths are resolved from this file, never from the cwd.
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const tsconfig = fileURLToPath(new URL('../tsconfig.node.json', import.meta.url));
const { main } = await tsImport('../cli/main.ts', { parentURL: import.meta.url, tsconfig });
process.exitCode = await main(process.argv.slice(2));
