/**
 * What importing a large trace file costs, said before it is read: files are read and parsed on the extension
 * host in one piece, so a big one holds the host (and every other extension) for seconds and takes several times
 * its size in memory. No vscode import, so that the figures are unit-tested.
 */

/** Above this size, the import asks first, in bytes. */
export const LARGE_FILE_BYTES = 200 * 1024 * 1024;

/**
 * Peak memory of an import as a multiple of the file's size, at most: the file, its text and the parsed model at
 * once, and the more spans per megabyte, the more. Measured (`npm run bench -- import` for generated spans of
 * realistic size; minimal spans by hand): protobuf 3.3× with spans of about 300 bytes (95 to 660 MB), 6.3× with
 * minimal 52-byte spans (10 million in 496 MB); JSON: OTLP 5.0–5.4×, Jaeger 4.7–5.0×, Zipkin 4.0× at 95 and
 * 300 MB, 5.5–5.6× with minimal spans.
 */
export const PROTOBUF_MEMORY_FACTOR = 6.3;
export const JSON_MEMORY_FACTOR = 5.6;
const PROTOBUF_EXTENSIONS = new Set(['pb', 'bin']);

/** The question asked before importing `name` of `bytes` bytes. */
export function largeImportMessage(name: string, bytes: number): string {
  const mb = Math.round(bytes / (1024 * 1024));
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const factor = PROTOBUF_EXTENSIONS.has(extension) ? PROTOBUF_MEMORY_FACTOR : JSON_MEMORY_FACTOR;
  const memory = Math.round((mb * factor) / 100) * 100;
  return (
    `${name} is ${mb.toLocaleString('en-US')} MB. Reading it takes a while and up to about ` +
    `${memory.toLocaleString('en-US')} MB of memory (${factor}× its size, for the smallest spans), and VS Code's extensions wait meanwhile.`
  );
}
