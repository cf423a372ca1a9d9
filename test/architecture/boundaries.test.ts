import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The arrows of DESIGN.md are lint rules; prove each rule fires (and that the
// owner of a package may still import it).
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['main/search/x.ts', "import * as l from '@lancedb/lancedb';\nexport const x = l;\n", 'main/store'],
    ['main/store/x.ts', "import * as l from 'langchain';\nexport const x = l;\n", 'main/agent'],
    ['main/api/x.ts', "import { tool } from '@langchain/core/tools';\nexport const x = tool;\n", 'main/agent'],
    ['main/api/x.ts', "import { app } from 'electron';\nexport const x = app;\n", 'main/electron'],
    ['renderer/src/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n", 'browser sandbox'],
    ['renderer/src/x.ts', "import { Store } from '../../main/store/store.js';\nexport const x = Store;\n", 'API contract'],
    ['main/core/x.ts', "import { Store } from '../store/store.js';\nexport const x = Store;\n", 'main/core'],
  ])('%s may not import what another layer owns', async (file, code, owner) => {
    const messages = await restrictedImports(file, code);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join(' ')).toContain(owner);
  });

  it.each([
    ['main/store/x.ts', "import * as l from '@lancedb/lancedb';\nexport const x = l;\n"],
    ['main/agent/x.ts', "import * as l from 'langchain';\nexport const x = l;\n"],
    ['main/electron/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['renderer/src/x.ts', "import type { AnswerOutput } from '../../main/api/contract.js';\nexport type X = AnswerOutput;\n"],
  ])('%s may import what it owns', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
