/**
 * Entry of the host suite (`extensionTestsPath`): the extension host calls `run()` and reports its outcome,
 * in the headless runner and in desktop VS Code alike. Runs every *.test.js beside this file.
 * HOST_TEST_GREP=pattern runs only the tests whose full title matches.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

// The extension host forwards console output to the workbench without printf substitution, and mocha's
// reporters log '%s'/'%d' format strings; console.* cannot be replaced there, so the reporter's logger is.
// Under the headless runner each line is tagged so that the runner can tell test output from workbench noise.
const tag = process.env.HOST_TEST_CONTROL_URL ? '[exthost] ' : '';
Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(tag + util.format(...args));

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000 });
  if (process.env.HOST_TEST_GREP) mocha.grep(process.env.HOST_TEST_GREP);
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} host test(s) failed`)) : resolve()));
  });
}
