// Where the host tests read and write, relative to the project root.
'use strict';
const path = require('node:path');

const PROJECT_ROOT = path.resolve(__dirname, '../..');

module.exports = {
  PROJECT_ROOT,
  /** The suite's TypeScript sources. */
  SUITE_SOURCES: path.join(PROJECT_ROOT, 'test/integration'),
  /** The built suite's entry, loaded by the extension host (`extensionTestsPath`). */
  SUITE_ENTRY: path.join(PROJECT_ROOT, 'out/test/integration/index'),
  SAMPLE_WORKSPACE: path.join(PROJECT_ROOT, 'test/fixtures/sample-workspace'),
  /** Runner and workbench logs of the last run. */
  RESULTS_DIR: path.join(PROJECT_ROOT, 'test-results/host'),
  SCREENSHOTS_DIR: path.join(PROJECT_ROOT, 'test-results/screenshots'),
};
