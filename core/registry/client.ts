import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { SchemaRegistryConfig } from '../config/index.js';

/**
 * A client of the Confluent-compatible schema registry API (Apicurio's `/apis/ccompat/v7` here).
 * It caches schemas by id, so decoding costs one registry call per schema, not per record.
 */
export function createSchemaRegistry(config: SchemaRegistryConfig): SchemaRegistry {
  return new SchemaRegistry({
    host: config.url,
    retry: { retries: 5, initialRetryTimeInSecs: 0.2, maxRetryTimeInSecs: 5 },
  });
}

/** True when the registry answers its subjects listing. */
export async function pingSchemaRegistry(config: SchemaRegistryConfig, timeoutMs = 3000): Promise<boolean> {
  try {
    const response = await fetch(`${config.url}/subjects`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}
