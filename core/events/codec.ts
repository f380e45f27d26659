import { COMPATIBILITY, SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import { PlatformError } from '../errors/index.js';
import type { RegistryHttp } from '../registry/http.js';
import { SCHEMA_COMPATIBILITY, subjectFor } from '../registry/subjects.js';
import { avroTypeFor } from './avro-types.js';
import type { CatalogEntry, EventCatalog } from './catalog.js';
import type { PlatformEvent } from './model.js';

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary body. */
export const MAGIC_BYTE = 0;
export const WIRE_HEADER_BYTES = 5;

export class EventDecodeError extends PlatformError {
  constructor(message: string, cause?: unknown) {
    super('internal_error', message, { cause });
  }
}

export interface EventCodec {
  /** Registers every event schema (idempotent), sets its compatibility, and caches the ids. */
  init(): Promise<void>;
  /** The registry id of the current schema of a type (after init). */
  schemaIdOf(type: string): number;
  /** Encodes a validated event in the Confluent wire format. Synchronous: no registry call. */
  encode(event: PlatformEvent, entry?: CatalogEntry): Buffer;
  /** Decodes a record written by any registered version of an event schema. */
  decode(buffer: Buffer): Promise<PlatformEvent>;
  /**
   * Decodes a record whose schema this process already knows, without waiting (hot loops: no
   * promise per record); undefined when its schema must first be fetched (then use `decode`).
   */
  decodeKnown(buffer: Buffer): PlatformEvent | undefined;
}

export interface CreateEventCodecOptions {
  catalog: EventCatalog;
  registry: SchemaRegistry;
  registryHttp: RegistryHttp;
}

interface Reader {
  entry: CatalogEntry;
  type: avro.Type;
  resolver: avro.Resolver | undefined;
}

export function createEventCodec({ catalog, registry, registryHttp }: CreateEventCodecOptions): EventCodec {
  const idByType = new Map<string, number>();
  const readers = new Map<number, Reader>();
  const pending = new Map<number, Promise<Reader>>();
  let scratch = Buffer.allocUnsafe(64 * 1024);

  /** Learns how to read a schema id that is not one of ours (an older or newer version). */
  async function loadReader(id: number): Promise<Reader> {
    const writerSchema = JSON.parse(await registryHttp.getSchemaById(id)) as Record<string, unknown>;
    const fullName = `${String(writerSchema.namespace)}.${String(writerSchema.name)}`;
    const entry = catalog
      .entries()
      .find((candidate) => candidate.recordName === fullName || candidate.type === writerSchema['x-event-type']);
    if (!entry) throw new EventDecodeError(`schema id ${id} (${fullName}) is not an event type this process knows`);
    const writerType = avroTypeFor(writerSchema);
    return { entry, type: entry.avroType, resolver: entry.avroType.createResolver(writerType) };
  }

  function schemaIdIn(buffer: Buffer): number {
    if (buffer.length < WIRE_HEADER_BYTES || buffer.readUInt8(0) !== MAGIC_BYTE) {
      throw new EventDecodeError('not a Confluent wire-format record (magic byte 0 expected)');
    }
    return buffer.readInt32BE(1);
  }

  function read(reader: Reader, buffer: Buffer): PlatformEvent {
    try {
      return reader.type.fromBuffer(buffer.subarray(WIRE_HEADER_BYTES), reader.resolver) as PlatformEvent;
    } catch (error) {
      throw new EventDecodeError(`record of ${reader.entry.type} could not be decoded`, error);
    }
  }

  async function readerFor(id: number): Promise<Reader> {
    const known = readers.get(id);
    if (known) return known;
    let loading = pending.get(id);
    if (!loading) {
      loading = loadReader(id).finally(() => pending.delete(id));
      pending.set(id, loading);
    }
    const reader = await loading;
    readers.set(id, reader);
    return reader;
  }

  return {
    async init() {
      for (const entry of catalog.entries()) {
        const subject = subjectFor(entry);
        // A subject that exists under a weaker level is raised first; a new one gets it on registration.
        const current = await registryHttp.getCompatibility(subject);
        if (current !== undefined && current !== SCHEMA_COMPATIBILITY)
          await registryHttp.setCompatibility(subject, SCHEMA_COMPATIBILITY);
        const { id } = await registry.register(
          { type: SchemaType.AVRO, schema: JSON.stringify(entry.schema) },
          { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
        );
        idByType.set(entry.type, id);
        readers.set(id, { entry, type: entry.avroType, resolver: undefined });
      }
    },

    schemaIdOf(type) {
      const id = idByType.get(type);
      if (id === undefined) throw new Error(`schema of ${type} is not registered: call init() first`);
      return id;
    },

    encode(event, entry = catalog.get(event.type)) {
      if (!entry) throw new Error(`unknown event type ${event.type}`);
      const id = this.schemaIdOf(entry.type);
      // Encode into a shared scratch buffer after the 5-byte header, then copy out once.
      let end = entry.avroType.encode(event, scratch, WIRE_HEADER_BYTES);
      while (end < 0) {
        scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, -end + WIRE_HEADER_BYTES));
        end = entry.avroType.encode(event, scratch, WIRE_HEADER_BYTES);
      }
      scratch.writeUInt8(MAGIC_BYTE, 0);
      scratch.writeInt32BE(id, 1);
      return Buffer.from(scratch.subarray(0, end));
    },

    async decode(buffer) {
      return read(await readerFor(schemaIdIn(buffer)), buffer);
    },

    decodeKnown(buffer) {
      const reader = readers.get(schemaIdIn(buffer));
      return reader && read(reader, buffer);
    },
  };
}
