// Where the shared upstream fixtures live: TRACE_LENS_FIXTURES, else ../shared/fixtures beside the project.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** The folders the shared fixtures come in; a folder with none of them (missing, or empty) is no fixtures folder. */
const FIXTURE_FOLDERS = ['jaeger', 'jaeger-v3', 'otlp', 'tempo', 'zipkin'];

export function sharedFixturesDir(): string | undefined {
  const dir = process.env.TRACE_LENS_FIXTURES ?? path.resolve(PROJECT_ROOT, '../shared/fixtures');
  return FIXTURE_FOLDERS.some((f) => fs.existsSync(path.join(dir, f))) ? dir : undefined;
}

/** Reads a shared fixture, or skips the calling test with a message saying where it looked. */
export function readSharedFixture(ctx: Mocha.Context, relative: string): string {
  const dir = sharedFixturesDir();
  if (!dir) {
    console.log(`      (skipped: shared fixtures not found; set TRACE_LENS_FIXTURES to the fixtures folder)`);
    ctx.skip();
  }
  const file = path.join(dir!, relative);
  if (!fs.existsSync(file)) {
    console.log(`      (skipped: ${relative} is not in the shared fixtures at ${dir})`);
    ctx.skip();
  }
  return fs.readFileSync(file, 'utf8');
}
