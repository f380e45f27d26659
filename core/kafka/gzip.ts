import kafkajs from 'kafkajs';
import { gzipSync, unzipSync } from 'node:zlib';

// A default import: Node's named-export detection of kafkajs (CommonJS) misses CompressionCodecs.
const { CompressionCodecs, CompressionTypes } = kafkajs;

/**
 * kafkajs's GZIP codec with Node's synchronous zlib calls. kafkajs's own codec uses the callback
 * forms, which run each record batch through a zlib stream and a thread-pool round trip; for
 * batches of the size a producer sends (tens of records), that costs several times the CPU of
 * the compression itself (`npx tsx scripts/bench/sink.ts` prints the sink's CPU per row). A
 * batch now holds the event loop for the time of its own (de)compression, tens to hundreds of
 * microseconds.
 */
export const gzipCodec = {
  /** @param encoder kafkajs's encoder of the batch's records */
  async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return gzipSync(encoder.buffer);
  },
  /** Accepts gzip and zlib streams alike, as kafkajs's own codec does. */
  async decompress(buffer: Buffer): Promise<Buffer> {
    return unzipSync(buffer);
  },
};

/** Makes every kafkajs client of this process use `gzipCodec` (kafkajs keeps codecs process-wide). */
export function installGzipCodec(): void {
  CompressionCodecs[CompressionTypes.GZIP] = () => gzipCodec;
}
