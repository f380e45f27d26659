import kafkajs from 'kafkajs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipCodec, installGzipCodec } from './gzip.js';

const { CompressionCodecs, CompressionTypes } = kafkajs;

describe('gzipCodec', () => {
  it('round-trips a batch and reads what kafkajs-style gzip wrote', async () => {
    const records = Buffer.from('record one\nrecord two\n'.repeat(100));
    const compressed = await gzipCodec.compress({ buffer: records });
    expect(compressed.length).toBeLessThan(records.length);
    expect((await gzipCodec.decompress(compressed)).equals(records)).toBe(true);
    expect((await gzipCodec.decompress(gzipSync(records))).equals(records)).toBe(true);
  });

  it('rejects a corrupt batch instead of returning garbage', async () => {
    const compressed = await gzipCodec.compress({ buffer: Buffer.from('x'.repeat(1000)) });
    await expect(gzipCodec.decompress(compressed.subarray(0, compressed.length - 6))).rejects.toThrow();
  });

  it('is what kafkajs looks up for GZIP once installed', () => {
    installGzipCodec();
    expect(CompressionCodecs[CompressionTypes.GZIP]()).toBe(gzipCodec);
  });
});
