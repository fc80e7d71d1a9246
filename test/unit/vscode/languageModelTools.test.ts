// package.json's languageModelTools are the core's tool definitions: same names, descriptions and input schemas.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOOL_DEFINITIONS, TOOL_NAMES, inputJsonSchema, vscodeToolName } from '../../../src/core/agentTools/toolDefinitions';
import { PROJECT_ROOT } from '../fixtures';

interface ToolContribution {
  name: string;
  displayName: string;
  toolReferenceName: string;
  canBeReferencedInPrompt: boolean;
  userDescription: string;
  modelDescription: string;
  inputSchema: unknown;
}

describe('languageModelTools in package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    engines: { vscode: string };
    contributes: { languageModelTools: ToolContribution[] };
  };
  const tools = pkg.contributes.languageModelTools;

  it('declares every core tool under its VS Code name, with the core description and schema', () => {
    assert.deepEqual(
      tools.map((t) => t.name),
      TOOL_NAMES.map(vscodeToolName),
    );
    for (const name of TOOL_NAMES) {
      const declared = tools.find((t) => t.name === vscodeToolName(name))!;
      const def = TOOL_DEFINITIONS[name];
      assert.equal(declared.modelDescription, def.description, name);
      assert.equal(declared.userDescription, def.userDescription, name);
      assert.equal(declared.displayName, def.title, name);
      assert.equal(declared.toolReferenceName, def.referenceName, name);
      assert.equal(declared.canBeReferencedInPrompt, true, name);
      assert.deepEqual(declared.inputSchema, inputJsonSchema(name), `${name}: regenerate the schema from toolDefinitions.ts`);
    }
  });

  it('lets people write #traces', () => {
    assert.equal(tools.find((t) => t.name === 'traceLens_search_traces')?.toolReferenceName, 'traces');
  });

  it('asks for the VS Code that finalised the language model tool API (1.95)', () => {
    assert.equal(pkg.engines.vscode, '^1.95.0');
  });
});
