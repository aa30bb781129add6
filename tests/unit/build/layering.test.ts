import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/paths';

/** The "may import" column of ARCHITECTURE.md, checked on code that breaks it. */
async function lint(filePath: string, code: string): Promise<string[]> {
  // Import rules need no type information, and these virtual files are in no tsconfig.
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    overrideConfig: {
      languageOptions: { parserOptions: { project: null, projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering lint rule', () => {
  it('refuses electron in a domain module', async () => {
    const messages = await lint('electron/contacts/x.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(messages.join('\n')).toMatch(/no-restricted-imports.*electron/);
  });

  it('allows electron in the shell only: not in the composition root beside it', async () => {
    const messages = await lint('electron/shell/main.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(messages.filter((m) => m.includes('no-restricted-imports'))).toEqual([]);
    expect((await lint('electron/app/create-app.ts', "import { app } from 'electron';\nexport const a = app;\n")).join('\n')).toMatch(/no-restricted-imports.*electron\/shell/);
  });

  it('refuses main-process and Node imports in the renderer', async () => {
    expect((await lint('renderer/x.ts', "import { createApp } from '../electron/app';\nexport const a = createApp;\n")).join()).toMatch(
      /no-restricted-imports/,
    );
    expect((await lint('renderer/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).join()).toMatch(/no-restricted-imports/);
  });

  it('keeps shared/ pure: zod and its own files only', async () => {
    expect((await lint('shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).join()).toMatch(/no-restricted-imports/);
    expect(await lint('shared/x.ts', "import { z } from 'zod';\nimport { commands } from './contract';\nexport const a = [z, commands];\n")).toEqual([]);
  });

  it('refuses console.log in app code', async () => {
    expect((await lint('electron/db/x.ts', "console.log('hi');\n")).join()).toMatch(/no-console/);
  });
});
