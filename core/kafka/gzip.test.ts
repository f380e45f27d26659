import kafkajs from 'kafkajs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../log/logger.js';
import { createKafka } from './client.js';
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

  it('is installed by createKafka, so every platform consumer uses it', () => {
    const kafkajsOwn = CompressionCodecs[CompressionTypes.GZIP];
    try {
      CompressionCodecs[CompressionTypes.GZIP] = () => ({
        compress: async () => Buffer.alloc(0),
        decompress: async () => Buffer.alloc(0),
      });
      createKafka({ config: loadConfig({}).kafka, logger: createLogger({ level: 'error' }) });
      expect(CompressionCodecs[CompressionTypes.GZIP]()).toBe(gzipCodec);
    } finally {
      CompressionCodecs[CompressionTypes.GZIP] = kafkajsOwn;
    }
  });
});
