// Where the shared upstream fixtures live: TRACE_LENS_FIXTURES, else ../shared/fixtures beside the project.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

export function sharedFixturesDir(): string | undefined {
  const dir = process.env.TRACE_LENS_FIXTURES ?? path.resolve(PROJECT_ROOT, '../shared/fixtures');
  return fs.existsSync(dir) ? dir : undefined;
}

/** Reads a shared fixture, or skips the calling test with a message saying where it looked. */
export function readSharedFixture(ctx: Mocha.Context, relative: string): string {
  const dir = sharedFixturesDir();
  if (!dir) {
    console.log(`      (skipped: shared fixtures not found; set TRACE_LENS_FIXTURES to the fixtures folder)`);
    ctx.skip();
  }
  return fs.readFileSync(path.join(dir!, relative), 'utf8');
}
