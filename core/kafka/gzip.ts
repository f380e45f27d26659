import kafkajs from 'kafkajs';
import { unzipSync } from 'node:zlib';

// A default import: Node's named-export detection of kafkajs (CommonJS) misses CompressionCodecs.
const { CompressionCodecs, CompressionTypes } = kafkajs;
/** kafkajs's own GZIP codec, taken before `installGzipCodec` replaces it. */
const kafkajsGzip = CompressionCodecs[CompressionTypes.GZIP]() as {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
};

/**
 * kafkajs's GZIP codec, but decompressing with Node's synchronous zlib call. kafkajs's own codec
 * runs each fetched record batch through a zlib stream and a thread-pool round trip: overhead per
 * batch, and batches as producers send them hold tens of records, so every consumer paid it often
 * (the sink benchmark's read-only path and the sink's CPU per row dropped without it:
 * `npx tsx scripts/bench/sink.ts`). A batch now holds the event loop for its own decompression
 * only. Compression stays as kafkajs does it (off the event loop): it costs more per byte, and a
 * producer's loop also serves requests.
 */
export const gzipCodec = {
  /** kafkajs's own compression. @param encoder kafkajs's encoder of the batch's records */
  compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return kafkajsGzip.compress(encoder);
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
