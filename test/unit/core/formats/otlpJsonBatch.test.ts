// The sliced OTLP/JSON reader against the reference: JSON.parse of the whole text + the shared walker.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { OtlpJsonBatchReader, type OtlpJsonKeys } from '../../../../src/core/formats/otlpJsonBatch';
import { readResourceSpans, SpanWalker } from '../../../../src/core/formats/otlpValues';
import { TraceAssembler } from '../../../../src/core/model/assemble';
import type { Trace } from '../../../../src/core/model/types';
import { generateTrace, toOtlpJson } from '../../../fixtures/generateTraces';
import { sharedFixturesDir } from '../../fixtures';

const KEYS: OtlpJsonKeys = {
  resources: 'resourceSpans',
  scopes: 'scopeSpans',
  legacyScopes: 'instrumentationLibrarySpans',
  scope: 'scope',
  legacyScope: 'instrumentationLibrary',
  items: 'spans',
};

/** Traces and warnings, or the error: what the sliced reader makes of `text` (or of raw bytes). */
function readSliced(text: string | Buffer, sliceChars: number): Trace[] | Error {
  const assembler = new TraceAssembler('otlp-json');
  const walker = new SpanWalker(assembler);
  const reader = new OtlpJsonBatchReader(
    Buffer.isBuffer(text) ? text : Buffer.from(text),
    'otlp-json',
    'an ExportTraceServiceRequest object',
    KEYS,
    {
      ignore: (where, reason) => assembler.warn(undefined, `ignored ${where}: ${reason}`),
      resource: (raw) => walker.resource(raw),
      scope: (raw) => walker.scope(raw),
      item: (raw, where) => {
        const reason = walker.span(raw);
        if (reason !== undefined) walker.drop(where(), reason);
      },
    },
  );
  try {
    while (!reader.step(sliceChars));
    return assembler.finish();
  } catch (e) {
    return e as Error;
  }
}

/** The same through JSON.parse of the whole text. */
function readWhole(text: string): Trace[] | Error {
  const assembler = new TraceAssembler('otlp-json');
  try {
    const doc = JSON.parse(text) as Record<string, unknown> | null;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
      throw new TraceFormatError('otlp-json', '$', 'not an object');
    const list = doc.resourceSpans;
    if (list != null) {
      if (!Array.isArray(list)) throw new TraceFormatError('otlp-json', '$.resourceSpans', 'expected an array');
      readResourceSpans(list, assembler, '$.resourceSpans');
    }
    return assembler.finish();
  } catch (e) {
    return e as Error;
  }
}

function assertSame(text: string, what: string): Trace[] | Error {
  const whole = readWhole(text);
  for (const slice of [1, 13, 500, Infinity]) {
    const sliced = readSliced(text, slice);
    if (whole instanceof Error) {
      assert.ok(sliced instanceof Error, `${what}: JSON.parse failed (${whole.message}) but slices of ${slice} did not`);
    } else {
      assert.ok(!(sliced instanceof Error), `${what}, slices of ${slice}: ${String(sliced)}`);
      assert.deepStrictEqual(sliced, whole, `${what}, slices of ${slice}`);
    }
  }
  return whole;
}

const span = (id: string, extra: object = {}): object => ({
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: id,
  name: `op-${id}`,
  startTimeUnixNano: '1735689600000000000',
  endTimeUnixNano: '1735689600001000000',
  ...extra,
});
const resource = (service: string): object => ({ attributes: [{ key: 'service.name', value: { stringValue: service } }] });

describe('OtlpJsonBatchReader', () => {
  describe('reads what JSON.parse + the shared walker read, in slices of any size', () => {
    for (const [spans, seed] of [
      [1, 1],
      [200, 7],
    ] as const) {
      it(`a generated trace of ${spans} spans (seed ${seed}), compact and indented`, () => {
        const compact = toOtlpJson(generateTrace(spans, seed));
        const traces = assertSame(compact, 'compact');
        assert.equal((traces as Trace[])[0]!.spans.length, spans);
        assertSame(JSON.stringify(JSON.parse(compact), null, '\t'), 'indented');
      });
    }

    it('every upstream OTLP document', function () {
      const dir = sharedFixturesDir();
      if (!dir) return this.skip();
      let compared = 0;
      for (const file of fs.readdirSync(path.join(dir, 'otlp')).filter((f) => f.endsWith('.json'))) {
        const text = fs.readFileSync(path.join(dir, 'otlp', file), 'utf8');
        if (!Array.isArray((JSON.parse(text) as { resourceSpans?: unknown }).resourceSpans)) continue;
        assertSame(text, file);
        compared++;
      }
      assert.ok(compared >= 4, `only ${compared} upstream documents compared`);
    });

    it('keys in any order: a resource after its scopes, a scope after its spans, unknown keys between', () => {
      const doc = {
        unknown: { deep: [[[{ '}': ']' }]]], text: 'a "quoted" \\ } ] string' },
        resourceSpans: [
          {
            scopeSpans: [{ spans: [span('0000000000000001')], schemaUrl: 'x', scope: { name: 'late' } }],
            resource: resource('after'),
          },
        ],
        tail: [1, -2.5e3, true, false, null, '\u00e9\u2028'],
      };
      const traces = assertSame(JSON.stringify(doc), 'any order') as Trace[];
      assert.equal(traces[0]!.spans[0]!.service, 'after');
      assert.equal(traces[0]!.spans[0]!.scope?.name, 'late');
    });

    it('a key given twice counts once, the last time, as JSON.parse has it', () => {
      const text =
        '{"resourceSpans":[{"resource":' +
        JSON.stringify(resource('first')) +
        ',"scopeSpans":[{"spans":[' +
        JSON.stringify(span('0000000000000001')) +
        '],"spans":[' +
        JSON.stringify(span('0000000000000002')) +
        ']}],"resource":' +
        JSON.stringify(resource('second')) +
        '}],"resourceSpans":[{"scopeSpans":[{"spans":[' +
        JSON.stringify(span('0000000000000003')) +
        ']}]}]}';
      const traces = assertSame(text, 'duplicates') as Trace[];
      assert.deepEqual(
        traces[0]!.spans.map((s) => s.spanId),
        ['0000000000000003'],
      );
    });

    it('odd shapes: nulls, wrong types, entries that are not objects, older key names', () => {
      const docs: unknown[] = [
        {},
        { resourceSpans: null },
        { resourceSpans: [] },
        {
          resourceSpans: [
            7,
            null,
            { resource: resource('a'), scopeSpans: 'x' },
            { scopeSpans: [4, { spans: 5 }, { spans: null }] },
          ],
        },
        {
          resourceSpans: [
            { resource: 3, scopeSpans: [{ scope: [], spans: [span('00000000000000aa'), 'x', null, { spanId: 'bb' }] }] },
          ],
        },
        {
          resourceSpans: [
            {
              resource: resource('legacy'),
              instrumentationLibrarySpans: [
                { instrumentationLibrary: { name: 'lib', version: '1' }, spans: [span('00000000000000cc')] },
              ],
            },
            { scopeSpans: null, instrumentationLibrarySpans: 'no' },
            {
              scopeSpans: [
                { scope: { name: 'new' }, instrumentationLibrary: { name: 'old' }, spans: [span('00000000000000dd')] },
              ],
              instrumentationLibrarySpans: [],
            },
          ],
        },
        {
          resourceSpans: [
            {
              scopeSpans: [
                { spans: [span('00000000000000ee', { attributes: [{ key: '__proto__', value: { stringValue: 'x' } }] })] },
              ],
            },
          ],
        },
      ];
      for (const doc of docs) assertSame(JSON.stringify(doc), JSON.stringify(doc).slice(0, 80));
    });

    it('escaped keys and values', () => {
      const text =
        '{"resource\\u0053pans":[{"scope\\u0053pans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000001","name":"a\\"b\\\\","startTimeUnixNano":"1"}]}]}]}';
      const traces = assertSame(text, 'escapes') as Trace[];
      assert.equal(traces[0]!.spans[0]!.name, 'a"b\\');
    });
    it('multi-byte text, and bytes that are not UTF-8, as JSON.parse of the body decoded as UTF-8 has them', () => {
      const text = JSON.stringify({
        resourceSpans: [
          { resource: resource('café ☕'), scopeSpans: [{ spans: [span('0000000000000001', { name: '注文 😀 "ok"' })] }] },
        ],
      });
      const traces = assertSame(text, 'multi-byte') as Trace[];
      assert.equal(traces[0]!.spans[0]!.name, '注文 😀 "ok"');
      const bytes = Buffer.from(text.replace('café', 'INVALID'));
      const at = bytes.indexOf('INVALID');
      bytes[at] = 0xff;
      bytes[at + 1] = 0xc3;
      assert.ok(at > 0);
      const sliced = readSliced(bytes, 5);
      assert.deepStrictEqual(sliced, readWhole(bytes.toString('utf8')));
    });
  });

  describe('bad input', () => {
    it('fails where JSON.parse fails, at every point the text can be cut', () => {
      const text = JSON.stringify({
        resourceSpans: [{ resource: resource('a'), scopeSpans: [{ scope: { name: 's' }, spans: [span('0000000000000001')] }] }],
        x: [1, { y: 'z' }],
      });
      for (let cut = 0; cut < text.length; cut++) {
        for (const slice of [7, Infinity]) {
          const result = readSliced(text.slice(0, cut), slice);
          assert.ok(result instanceof TraceFormatError, `cut at ${cut}, slices of ${slice}: ${String(result)}`);
        }
      }
    });

    it('fails on invalid JSON around and inside what it reads, naming the offset', () => {
      const bad = [
        '{"resourceSpans":[{"scopeSpans":[{"spans":[{"a":1,}]}]}]}',
        '{"resourceSpans":[{"scopeSpans":[{"spans":[{"a":tru}]}]}]}',
        '{"resourceSpans":[{"scopeSpans":[{"spans":[{"a":1}}]}]}]}',
        '{"resourceSpans":[{"scopeSpans":[{"spans":[]}],}]}',
        '{"resourceSpans":[{"resource":{"attributes":[}]}]}',
        '{"resourceSpans":[],"x":01}',
        '{"resourceSpans":[],"x":"\u0001"}',
        '{"resourceSpans":[] "x":1}',
        '{"resourceSpans":[]} trailing',
        '{"resourceSpans":[]}}',
        '{"a\u0001":1}',
        '{"resourceSpans":7}',
        '[]',
        '"text"',
        '',
      ];
      for (const text of bad) {
        assert.ok(readWhole(text) instanceof Error, `JSON.parse + walker accepts ${text}`);
        for (const slice of [1, Infinity]) {
          const result = readSliced(text, slice);
          assert.ok(result instanceof TraceFormatError, `${text} (slices of ${slice}): ${String(result)}`);
        }
      }
      const inner = readSliced('{"resourceSpans":[{"scopeSpans":[{"spans":[{"a":tru}]}]}]}', Infinity) as TraceFormatError;
      assert.match(inner.where, /^byte \d+$/);
      assert.match(inner.reason, /invalid JSON/);
    });

    it('fails exactly when JSON.parse does on randomly corrupted documents', () => {
      const text = toOtlpJson(generateTrace(6, 11));
      const alphabet = '{}[],:"\\ 0a-.e';
      let seed = 99;
      const random = (n: number): number => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) % n;
      let failures = 0;
      for (let round = 0; round < 400; round++) {
        const chars = [...text];
        for (let i = 0; i < 2; i++) chars[random(chars.length)] = alphabet[random(alphabet.length)]!;
        const corrupt = chars.join('');
        const whole = readWhole(corrupt);
        const sliced = readSliced(corrupt, 1 + random(300));
        if (whole instanceof Error) {
          failures++;
          assert.ok(
            sliced instanceof TraceFormatError,
            `round ${round}: JSON.parse failed but the reader gave ${String(sliced)}`,
          );
        } else {
          assert.deepStrictEqual(sliced, whole, `round ${round}`);
        }
      }
      assert.ok(failures > 100, `${failures} of the corruptions were invalid JSON`);
    });

    it('reads a document of 100,000 nested unknown arrays without overflowing the stack', () => {
      const deep = `{"x":${'['.repeat(100_000)}${']'.repeat(100_000)},"resourceSpans":[{"scopeSpans":[{"spans":[${JSON.stringify(span('0000000000000001'))}]}]}]}`;
      const traces = readSliced(deep, 4096);
      assert.ok(!(traces instanceof Error), String(traces));
      assert.equal(traces[0]!.spans.length, 1);
    });

    it('ends each slice after about as many bytes as asked, whole spans only', () => {
      const text = toOtlpJson(generateTrace(300, 3));
      const assembler = new TraceAssembler('otlp-json');
      const walker = new SpanWalker(assembler);
      let spans = 0;
      let mostInOneStep = 0;
      const reader = new OtlpJsonBatchReader(Buffer.isBuffer(text) ? text : Buffer.from(text), 'otlp-json', 'an object', KEYS, {
        ignore: () => undefined,
        resource: (raw) => walker.resource(raw),
        scope: (raw) => walker.scope(raw),
        item: (raw) => {
          walker.span(raw);
          spans++;
        },
      });
      let steps = 0;
      for (let before = 0; !reader.step(4096); before = spans) {
        steps++;
        mostInOneStep = Math.max(mostInOneStep, spans - before);
      }
      assert.equal(spans, 300);
      assert.ok(steps > text.length / 4096, `${steps} steps for ${text.length} bytes`);
      assert.ok(mostInOneStep < 20, `at most ${mostInOneStep} spans in one step of 4,096 bytes`);
    });
  });
});
