// The hand-written OTLP protobuf reader against the reference: protobufjs' generated decoder + the shared walker.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { otlpProtoSpanReader, readOtlpProtoSpans } from '../../../../src/core/formats/otlpProtoSpans';
import { readResourceSpans, TOO_DEEP } from '../../../../src/core/formats/otlpValues';
import { TraceAssembler } from '../../../../src/core/model/assemble';
import type { Trace } from '../../../../src/core/model/types';
import { exportTraceServiceRequest, generateTrace, toOtlpProto } from '../../../fixtures/generateTraces';
import { sharedFixturesDir } from '../../fixtures';

/** Traces and warnings, or the error: what a reader makes of `bytes`. */
function read(bytes: Uint8Array, reader: 'direct' | 'reference'): Trace[] | Error {
  const assembler = new TraceAssembler('otlp-proto');
  try {
    if (reader === 'direct') readOtlpProtoSpans(bytes, assembler, 'resourceSpans');
    else {
      const decoded = exportTraceServiceRequest.decode(bytes) as { resourceSpans: unknown[] };
      readResourceSpans(decoded.resourceSpans, assembler, 'resourceSpans');
    }
    return assembler.finish();
  } catch (e) {
    return e as Error;
  }
}

function assertSameAsReference(bytes: Uint8Array, what: string): Trace[] {
  const direct = read(bytes, 'direct');
  const reference = read(bytes, 'reference');
  assert.ok(!(reference instanceof Error), `${what}: the reference failed: ${String(reference)}`);
  assert.ok(!(direct instanceof Error), `${what}: ${String(direct)}`);
  assert.deepStrictEqual(direct, reference, what);
  return direct;
}

function encode(object: Record<string, unknown>): Uint8Array {
  return exportTraceServiceRequest.encode(exportTraceServiceRequest.fromObject(object)).finish();
}

// ---- a minimal protobuf writer, to lay out bytes the generated encoder never would ----

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return out;
}
const key = (field: number, wireType: number): number[] => varint((field << 3) | wireType);
const len = (field: number, ...parts: number[][]): number[] => {
  const body = parts.flat();
  return [...key(field, 2), ...varint(body.length), ...body];
};
const str = (field: number, s: string): number[] => len(field, [...Buffer.from(s)]);
const uint = (field: number, n: number | bigint): number[] => [...key(field, 0), ...varint(n)];
const fixed64 = (field: number, n: bigint): number[] => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return [...key(field, 1), ...b];
};
const hex = (field: number, id: string): number[] => len(field, [...Buffer.from(id, 'hex')]);
const keyValue = (k: string, anyValue: number[]): number[] => [...str(1, k), ...len(2, anyValue)];

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const START = 1_700_000_000_000_000_000n;

/** A span's fields (Span message) with the ids and times every span needs, then `extra`. */
function spanFields(spanId: string, name: string, ...extra: number[][]): number[] {
  return [
    ...hex(1, TRACE),
    ...hex(2, spanId),
    ...str(5, name),
    ...fixed64(7, START),
    ...fixed64(8, START + 5_000_000n),
    ...extra.flat(),
  ];
}

function request(...resourceSpans: number[][]): Uint8Array {
  return new Uint8Array(resourceSpans.flatMap((rs) => len(1, rs)));
}

describe('readOtlpProtoSpans', () => {
  describe('reads what protobufjs + the shared walker read', () => {
    for (const [spans, seed] of [
      [1, 1],
      [64, 7],
      [700, 20_240_601],
    ] as const) {
      it(`a generated trace of ${spans} spans (seed ${seed})`, () => {
        const traces = assertSameAsReference(toOtlpProto(generateTrace(spans, seed)), `seed ${seed}`);
        assert.equal(traces[0]!.spans.length, spans);
      });
    }

    it('two requests sent as one body (protobuf concatenation merges their resource spans)', () => {
      const a = toOtlpProto(generateTrace(20, 3));
      const b = toOtlpProto(generateTrace(30, 4));
      const traces = assertSameAsReference(Buffer.concat([a, b]), 'concatenated');
      assert.equal(traces.length, 2);
    });

    it('every upstream OTLP document re-encoded as protobuf', function () {
      const dir = sharedFixturesDir();
      if (!dir) return this.skip();
      const otlp = path.join(dir, 'otlp');
      let compared = 0;
      for (const file of fs.readdirSync(otlp).filter((f) => f.endsWith('.json'))) {
        const doc = JSON.parse(fs.readFileSync(path.join(otlp, file), 'utf8')) as Record<string, unknown>;
        if (!Array.isArray(doc.resourceSpans)) continue;
        assertSameAsReference(encode(doc), file);
        compared++;
      }
      assert.ok(compared >= 4, `only ${compared} upstream OTLP documents compared`);
    });

    it('every kind of value, int64 at its limits, and values nested past the depth limit', () => {
      let nested: Record<string, unknown> = { stringValue: 'bottom' };
      for (let i = 0; i < 40; i++) nested = { arrayValue: { values: [nested, { boolValue: i % 2 === 0 }] } };
      const kv = (k: string, value: object): object => ({ key: k, value });
      const traces = assertSameAsReference(
        encode({
          resourceSpans: [
            {
              resource: { attributes: [kv('service.name', { stringValue: 'api' })] },
              scopeSpans: [
                {
                  scope: { name: 'lib', version: '1', attributes: [kv('s', { intValue: '1' })] },
                  spans: [
                    {
                      traceId: Buffer.from(TRACE, 'hex'),
                      spanId: Buffer.from('00f067aa0ba902b7', 'hex'),
                      parentSpanId: Buffer.from('0000000000000001', 'hex'),
                      name: 'values',
                      kind: 3,
                      traceState: 'a=1',
                      startTimeUnixNano: START.toString(),
                      endTimeUnixNano: (START + 1234n).toString(),
                      attributes: [
                        kv('max', { intValue: '9223372036854775807' }),
                        kv('min', { intValue: '-9223372036854775808' }),
                        kv('minus one', { intValue: '-1' }),
                        kv('just past 2^53', { intValue: '9007199254740993' }),
                        kv('nan', { doubleValue: NaN }),
                        kv('inf', { doubleValue: -Infinity }),
                        kv('empty string', { stringValue: '' }),
                        kv('false', { boolValue: false }),
                        kv('bytes', { bytesValue: Buffer.from([0, 255]) }),
                        kv('map', {
                          kvlistValue: { values: [kv('x', { doubleValue: 0.5 }), kv('__proto__', { stringValue: 'p' })] },
                        }),
                        kv('empty map', { kvlistValue: {} }),
                        kv('empty list', { arrayValue: {} }),
                        kv('no value', {}),
                        kv('deep', nested),
                        kv('ünïcödé ✓', { stringValue: '日本語 ✓' }),
                      ],
                      status: { code: 2, message: 'boom' },
                      events: [
                        { timeUnixNano: (START + 10n).toString(), name: 'e', attributes: [kv('k', { stringValue: 'v' })] },
                      ],
                      links: [{ traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.from('b7ad6b7169203331', 'hex') }],
                    },
                  ],
                },
              ],
            },
          ],
        }),
        'values',
      );
      const span = traces[0]!.spans[0]!;
      assert.equal(span.attributes.max, '9223372036854775807');
      assert.equal(span.attributes.min, '-9223372036854775808');
      assert.equal(span.attributes['just past 2^53'], '9007199254740993');
      assert.ok(JSON.stringify(span.attributes.deep).includes(JSON.stringify(TOO_DEEP)));
      assert.equal(
        Object.getPrototypeOf((span.attributes.map as object) ?? {}),
        Object.prototype,
        '__proto__ is a key, not a prototype',
      );
    });

    it('fields in any order: a resource after its scope spans, a scope after its spans, events before the name', () => {
      const event = len(11, [...fixed64(1, START + 1n), ...str(2, 'early event')]);
      const span = [
        ...event,
        ...str(5, 'late name'),
        ...hex(1, TRACE),
        ...hex(2, 'aaaaaaaaaaaaaaaa'),
        ...fixed64(8, START + 9n),
        ...fixed64(7, START),
      ];
      const scopeSpans = [...len(2, span), ...len(1, str(1, 'late scope'))];
      const resource = len(1, len(1, keyValue('service.name', str(1, 'late-service'))));
      const traces = assertSameAsReference(request([...len(2, scopeSpans), ...resource]), 'reordered');
      const s = traces[0]!.spans[0]!;
      assert.equal(s.name, 'late name');
      assert.equal(s.service, 'late-service');
      assert.equal(s.scope?.name, 'late scope');
      assert.equal(s.events[0]!.name, 'early event');
    });

    it('unknown fields of every wire type, groups included, are skipped', () => {
      const unknown = [
        ...uint(99, 2n ** 63n),
        ...fixed64(98, 1n),
        ...str(97, 'x'),
        ...key(96, 5),
        1,
        2,
        3,
        4,
        ...key(95, 3),
        ...uint(1, 1),
        ...key(94, 3),
        ...key(94, 4),
        ...key(95, 4),
      ];
      const traces = assertSameAsReference(
        request([...unknown, ...len(2, [...unknown, ...len(2, spanFields('aaaaaaaaaaaaaaaa', 'ok', unknown))])]),
        'unknown fields',
      );
      assert.equal(traces[0]!.spans[0]!.name, 'ok');
    });

    it('drops spans without ids and warns about unreadable times, as the walker does', () => {
      const traces = assertSameAsReference(
        request(
          len(
            2,
            len(2, [...str(5, 'no ids')]),
            len(2, [...hex(1, TRACE), ...str(5, 'no span id')]),
            len(2, spanFields('bbbbbbbbbbbbbbbb', 'kept', fixed64(7, 2n ** 64n - 1n))),
            len(2, [...hex(1, TRACE), ...hex(2, 'cccccccccccccccc'), ...fixed64(7, START), ...str(5, 'no end')]),
            len(2, spanFields('dddddddddddddddd', 'short ids', hex(4, '01'), len(13, hex(1, 'ab')))),
          ),
        ),
        'drops and warnings',
      );
      assert.deepEqual(
        traces[0]!.spans.map((s) => s.name),
        ['kept', 'no end', 'short ids'],
      );
      assert.ok(traces[0]!.warnings.some((w) => w.includes('resourceSpans[0].scopeSpans[0].spans[1]: no span id')));
    });
  });

  describe('agrees with the reference on the corners of the wire format', () => {
    const span = (spanId: string, ...extra: number[][]): number[] => len(2, spanFields(spanId, 'op', ...extra));
    const compare = (what: string, ...resourceSpans: number[][]): Trace[] =>
      assertSameAsReference(request(...resourceSpans), what);

    it('a status, resource or scope sent twice: the last one', () => {
      const resource = (name: string): number[] => len(1, len(1, keyValue('service.name', str(1, name))));
      const scope = (name: string): number[] => len(1, str(1, name));
      const twice = span('aaaaaaaaaaaaaaaa', len(15, uint(3, 2), str(2, 'first')), len(15, uint(3, 1)));
      const [trace] = compare('twice', [...resource('first'), ...len(2, scope('a'), twice, scope('b')), ...resource('second')]);
      const s = trace!.spans[0]!;
      assert.equal(s.service, 'second');
      assert.equal(s.scope?.name, 'b');
      assert.deepEqual(s.status, { code: 'ok' });
    });

    it('span kinds out of range: -1 as a ten-byte varint, and 9', () => {
      const [trace] = compare('kinds', len(2, span('aaaaaaaaaaaaaaaa', uint(6, -1)), span('bbbbbbbbbbbbbbbb', uint(6, 9))));
      assert.deepEqual(
        trace!.spans.map((s) => s.kind),
        ['unspecified', 'unspecified'],
      );
    });

    it('an event time past 2^63 ns: warned about and shown at the span start', () => {
      const event = len(11, [...fixed64(1, 2n ** 63n + 5n), ...str(2, 'late')]);
      const [trace] = compare('event time', len(2, span('aaaaaaaaaaaaaaaa', event)));
      assert.equal(trace!.spans[0]!.events[0]!.timeUs, trace!.spans[0]!.startUs);
      assert.ok(trace!.warnings.some((w) => w.includes('event 0 has an unreadable time')));
    });

    it('trace ids of 8 and 16 bytes in turn (the one-entry id cache)', () => {
      const short = (spanId: string): number[] =>
        len(2, [...hex(1, 'a3ce929d0e0e4736'), ...hex(2, spanId), ...fixed64(7, START), ...fixed64(8, START + 1n)]);
      const traces = compare(
        'id lengths',
        len(2, span('aaaaaaaaaaaaaaaa'), short('bbbbbbbbbbbbbbbb'), span('cccccccccccccccc'), short('dddddddddddddddd')),
      );
      assert.deepEqual(
        traces.map((t) => [t.traceId, t.spans.length]),
        [
          [TRACE, 2],
          ['0000000000000000a3ce929d0e0e4736', 2],
        ],
      );
    });

    it('tags and lengths written as overlong varints', () => {
      const overlong = (n: number): number[] => [(n & 0x7f) | 0x80, 0x80, 0x00];
      const name = [...overlong((5 << 3) | 2), ...overlong(4), ...Buffer.from('long')];
      const [trace] = compare('overlong', len(2, span('aaaaaaaaaaaaaaaa', name)));
      assert.equal(trace!.spans[0]!.name, 'long');
    });

    it('maps and arrays nested across the depth limit', () => {
      for (const depth of [31, 32, 33, 34]) {
        let value = str(1, 'bottom');
        for (let i = 0; i < depth; i++) value = i % 2 === 0 ? len(6, len(1, keyValue(`k${i}`, value))) : len(5, len(1, value));
        compare(`depth ${depth}`, len(2, span('aaaaaaaaaaaaaaaa', len(9, keyValue('nested', value)))));
      }
    });

    it('spans laid out at random: fields in any order, repeated, unknown ones between them', () => {
      let seed = 7;
      const random = (n: number): number => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) % n;
      const values = [str(1, 'text'), uint(2, 1), uint(3, -7), [...key(4, 1), 0, 0, 0, 0, 0, 0, 0xf0, 0x3f], len(7, [1, 2])];
      for (let round = 0; round < 200; round++) {
        const fields: number[][] = [
          hex(1, TRACE),
          hex(2, `${random(0xffff).toString(16).padStart(4, '0')}aaaaaaaaaaaa`),
          str(5, `op${random(5)}`),
          fixed64(7, START + BigInt(random(1000))),
          fixed64(8, START + 2000n),
          uint(6, random(7)),
        ];
        for (let i = random(6); i > 0; i--) fields.push(len(9, keyValue(`k${random(4)}`, values[random(values.length)]!)));
        if (random(3) === 0) fields.push(len(15, [...uint(3, random(3)), ...str(2, random(2) ? 'msg' : '')]));
        if (random(3) === 0) fields.push(len(11, [...fixed64(1, START + 10n), ...str(2, 'e')]));
        if (random(3) === 0) fields.push(len(13, [...hex(1, TRACE), ...hex(2, 'bbbbbbbbbbbbbbbb')]));
        if (random(2) === 0) fields.push(str(5, 'renamed'), uint(40 + random(50), random(1000)));
        for (let i = fields.length - 1; i > 0; i--) {
          const j = random(i + 1);
          [fields[i], fields[j]] = [fields[j]!, fields[i]!];
        }
        compare(`round ${round}`, len(2, len(2, fields.flat())));
      }
    });

    it('an AnyValue with two members set is its last one (protobuf oneof), where the walker picks by kind', () => {
      const twoMembers = [...str(1, 'a'), ...uint(3, 5)];
      const traces = read(request(len(2, span('aaaaaaaaaaaaaaaa', len(9, keyValue('v', twoMembers))))), 'direct');
      assert.ok(!(traces instanceof Error), String(traces));
      assert.equal(traces[0]!.spans[0]!.attributes.v, 5);
    });
  });

  describe('read a slice at a time', () => {
    /** What `step(sliceBytes)` until done makes of `bytes`, and how many steps it took. */
    function readSliced(bytes: Uint8Array, sliceBytes: number): { result: Trace[] | Error; steps: number } {
      const assembler = new TraceAssembler('otlp-proto');
      const reader = otlpProtoSpanReader(bytes, assembler, 'resourceSpans');
      let steps = 0;
      try {
        while (!reader.step(sliceBytes)) steps++;
        return { result: assembler.finish(), steps: steps + 1 };
      } catch (e) {
        return { result: e as Error, steps };
      }
    }

    it('reads the same in slices of any size as in one go, resources and scopes included', () => {
      const body = Buffer.concat([
        toOtlpProto(generateTrace(40, 11)),
        toOtlpProto(generateTrace(25, 12)),
        request(len(2, len(2, spanFields('1111111111111111', 'scope after its spans')), len(1, str(1, 'late-scope')))),
      ]);
      const whole = read(body, 'direct');
      assert.ok(!(whole instanceof Error), String(whole));
      for (const slice of [1, 7, 300, 4096, body.length]) {
        const { result, steps } = readSliced(body, slice);
        assert.deepStrictEqual(result, whole, `slices of ${slice} bytes`);
        if (slice === 1) assert.ok(steps > 60, `${steps} steps of one byte: a step ends after each span`);
      }
      const late = (whole as Trace[]).flatMap((t) => t.spans).find((s) => s.name === 'scope after its spans');
      assert.equal(late?.scope?.name, 'late-scope');
    });

    it('fails in slices as in one go on a truncated body', () => {
      const body = toOtlpProto(generateTrace(30, 5));
      for (const cut of [body.length - 1, Math.floor(body.length / 2), 3]) {
        const whole = read(body.subarray(0, cut), 'direct');
        const { result } = readSliced(body.subarray(0, cut), 64);
        assert.ok(whole instanceof TraceFormatError && result instanceof TraceFormatError, `cut at ${cut}`);
        assert.equal(result.message, whole.message);
      }
    });
  });

  describe('bad bytes', () => {
    it('reports a truncated body with the byte offset, at every point it can be cut', () => {
      const body = toOtlpProto(generateTrace(3, 5));
      for (let cut = 1; cut < body.length; cut++) {
        const result = read(body.subarray(0, cut), 'direct');
        if (result instanceof Error) {
          assert.ok(result instanceof TraceFormatError, `cut at ${cut}: ${String(result)}`);
          assert.match(result.where, /^byte \d+$/);
        }
      }
      assert.ok(read(body.subarray(0, body.length - 1), 'direct') instanceof TraceFormatError);
    });

    it('never fails with anything but a TraceFormatError on corrupted bytes', () => {
      const body = toOtlpProto(generateTrace(20, 9));
      let seed = 42;
      const random = (): number => ((seed = Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
      let errors = 0;
      for (let round = 0; round < 500; round++) {
        const corrupt = Buffer.from(body);
        for (let i = 0; i < 4; i++) corrupt[Math.floor(random() * corrupt.length)] = Math.floor(random() * 256);
        const result = read(corrupt, 'direct');
        if (result instanceof Error) {
          assert.ok(result instanceof TraceFormatError, String(result));
          errors++;
        }
      }
      assert.ok(errors > 0, 'no corruption was detected at all');
    });

    it('names the problem: a wire type that does not exist, a field number 0, a varint of 11 bytes', () => {
      const fail = (bytes: number[]): TraceFormatError => {
        const e = read(new Uint8Array(bytes), 'direct');
        assert.ok(e instanceof TraceFormatError, String(e));
        return e;
      };
      assert.match(fail([0x0f]).reason, /invalid wire type 7/);
      assert.match(fail([0x02, 0x00]).reason, /field number 0/);
      assert.match(fail([0x08, ...Array<number>(10).fill(0xff), 0x01]).reason, /longer than 10 bytes/);
      assert.match(fail([0x0a, 0x05, 0x01]).reason, /runs past the end/);
    });

    it('reads a value nested 100,000 arrays deep without overflowing the stack', () => {
      // AnyValue{array_value: ArrayValue{values: [AnyValue{…}]}}, built inside out: each level is two prefixes
      const bottom = str(1, 'bottom');
      const prefixes: number[][] = [];
      let size = bottom.length;
      for (let i = 0; i < 100_000; i++) {
        for (const field of [1, 5]) {
          const prefix = [...key(field, 2), ...varint(size)];
          prefixes.push(prefix);
          size += prefix.length;
        }
      }
      const value = Buffer.concat([...prefixes.reverse().map((p) => Buffer.from(p)), Buffer.from(bottom)]);
      const traces = read(
        request(
          len(
            2,
            len(
              2,
              spanFields('eeeeeeeeeeeeeeee', 'deep', len(9, str(1, 'deep'), [...key(2, 2), ...varint(value.length)], [...value])),
            ),
          ),
        ),
        'direct',
      );
      assert.ok(!(traces instanceof Error), String(traces));
      assert.ok(JSON.stringify(traces[0]!.spans[0]!.attributes.deep).includes(JSON.stringify(TOO_DEEP)));
    });

    it('skips a known field written with another wire type instead of misreading it', () => {
      const traces = read(request(len(2, len(2, spanFields('ffffffffffffffff', 'name', uint(5, 7), uint(9, 3))))), 'direct');
      assert.ok(!(traces instanceof Error), String(traces));
      const span = traces[0]!.spans[0]!;
      assert.equal(span.name, 'name');
      assert.deepEqual(span.attributes, {});
    });
  });
});
