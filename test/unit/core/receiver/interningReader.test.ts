import * as assert from 'node:assert/strict';
import { BufferReader, Writer } from 'protobufjs/minimal';
import { InterningReader } from '../../../../src/core/receiver/interningReader';

/** Length-delimited strings as protobuf writes them, each from raw bytes (so invalid UTF-8 can be written). */
function encode(values: readonly Uint8Array[]): Buffer {
  const w = Writer.create();
  for (const v of values) w.bytes(v);
  return Buffer.from(w.finish());
}

function readAll(reader: BufferReader, count: number): string[] {
  return Array.from({ length: count }, () => reader.string());
}

describe('InterningReader', () => {
  it('reads every string exactly as protobufjs does, repeated, colliding, long, empty or not valid UTF-8', () => {
    const values: Uint8Array[] = [];
    for (let i = 0; i < 20_000; i++) values.push(Buffer.from(`key.${i % 5000}`));
    values.push(
      Buffer.from(''),
      Buffer.from('é→😀'),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('x'.repeat(33)),
      Buffer.from('x'.repeat(32)),
    );
    values.push(Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('é→😀'));
    const bytes = encode(values);
    assert.deepEqual(readAll(new InterningReader(bytes), values.length), readAll(new BufferReader(bytes), values.length));
  });

  it('stops at the end of a truncated string as protobufjs does', () => {
    const bytes = Buffer.from([5, 0x61, 0x62]);
    assert.equal(new InterningReader(bytes).string(), new BufferReader(bytes).string());
  });
});
