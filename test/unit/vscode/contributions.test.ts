import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, Settings, Views } from '../../../src/vscode/contributions';
import { PROJECT_ROOT } from '../fixtures';

interface Manifest {
  contributes: {
    commands?: { command: string; title: string; icon?: string }[];
    viewsContainers?: { activitybar?: { id: string; icon: string }[] };
    views?: Record<string, { id: string }[]>;
    viewsWelcome?: { view: string; contents: string }[];
    menus?: Record<string, { command: string }[]>;
    configuration?: { properties?: Record<string, unknown> };
    keybindings?: { command: string; key: string; when?: string }[];
    walkthroughs?: { steps: { id: string; description: string; media: { image: string } }[] }[];
  };
}

const manifestText = fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8');
const nls = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** package.json as VS Code shows it: every `%key%` string replaced by its package.nls.json value */
const manifest = JSON.parse(manifestText, (_key, value: unknown) =>
  typeof value === 'string' && /^%[\w.-]+%$/.test(value) ? (nls[value.slice(1, -1)] ?? value) : value,
) as Manifest;
const { contributes } = manifest;
const sorted = (values: Iterable<string>) => [...values].sort();

describe('contributions (package.json ⇄ src/vscode/contributions.ts)', () => {
  it('declares exactly the commands the code defines', () => {
    assert.deepEqual(sorted((contributes.commands ?? []).map((c) => c.command)), sorted(Object.values(Commands)));
  });

  it('puts only declared commands in menus and welcome links', () => {
    const declared = new Set(Object.values(Commands) as string[]);
    for (const [menu, items] of Object.entries(contributes.menus ?? {})) {
      for (const item of items) assert.ok(declared.has(item.command), `menu ${menu} names undeclared ${item.command}`);
    }
    for (const welcome of contributes.viewsWelcome ?? []) {
      for (const [, command] of welcome.contents.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(declared.has(command ?? ''), `welcome of ${welcome.view} links undeclared ${command}`);
      }
    }
  });

  it('declares the activity-bar container, its icon, and the Traces view inside it', () => {
    const container = contributes.viewsContainers?.activitybar?.find((c) => c.id === Views.container);
    assert.ok(container, `no activity-bar container ${Views.container}`);
    assert.ok(fs.existsSync(path.join(PROJECT_ROOT, container.icon)), `icon ${container.icon} is missing`);
    assert.deepEqual(
      contributes.views?.[Views.container]?.map((v) => v.id),
      [Views.traces],
    );
  });

  it('gives every view it declares a welcome message for when it is empty', () => {
    const views = Object.values(contributes.views ?? {}).flatMap((list) => list.map((v) => v.id));
    assert.deepEqual(sorted(new Set((contributes.viewsWelcome ?? []).map((w) => w.view))), sorted(views));
  });

  it('gives every %key% of package.json a text in package.nls.json, and package.nls.json holds no unused text', () => {
    const used = new Set([...manifestText.matchAll(/"%([\w.-]+)%"/g)].map(([, key]) => key ?? ''));
    const missing = [...used].filter((key) => typeof nls[key] !== 'string' || nls[key].trim() === '');
    assert.deepEqual(missing, [], 'keys without a text in package.nls.json');
    assert.deepEqual(
      Object.keys(nls).filter((key) => !used.has(key)),
      [],
      'texts in package.nls.json that package.json does not use',
    );
  });

  it('binds keys only to declared commands, and each walkthrough step links declared commands and has its picture', () => {
    const declared = new Set(Object.values(Commands) as string[]);
    for (const { command } of contributes.keybindings ?? [])
      assert.ok(declared.has(command), `key bound to undeclared ${command}`);
    const steps = (contributes.walkthroughs ?? []).flatMap((w) => w.steps);
    assert.ok(steps.length > 0, 'no walkthrough');
    for (const step of steps) {
      assert.ok(fs.existsSync(path.join(PROJECT_ROOT, step.media.image)), `picture ${step.media.image} is missing`);
      const links = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map(([, command]) => command ?? '');
      assert.ok(links.length > 0, `step ${step.id} runs no command`);
      for (const command of links.filter((c) => c.startsWith('traceLens.'))) {
        assert.ok(declared.has(command), `step ${step.id} links undeclared ${command}`);
      }
    }
  });

  it('declares exactly the settings the code reads', () => {
    assert.deepEqual(sorted(Object.keys(contributes.configuration?.properties ?? {})), sorted(Object.values(Settings)));
  });
});
