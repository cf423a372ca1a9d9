#!/usr/bin/env node
// Entry point for `npx cairn`. Registers tsx so the TypeScript sources run
// directly: with ignore-scripts there is no build step at install time.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../main/cli/index.ts');
process.exitCode = await runCli(process.argv);
