import { PlatformError, UnavailableError } from '../errors/index.js';

/** The Confluent-compatible registry's HTTP API, for the calls the kafkajs client does not make. */
export interface RegistryHttp {
  getSchemaById(id: number): Promise<string>;
  setCompatibility(subject: string, level: string): Promise<void>;
  getCompatibility(subject: string): Promise<string | undefined>;
  /** Registers a schema under a subject and answers its id; an incompatible change is refused. */
  register(subject: string, schema: string): Promise<number>;
  /** True when `schema` may become the next version of `subject` under its compatibility level. */
  testCompatibility(subject: string, schema: string): Promise<boolean>;
}

const JSON_TYPE = 'application/vnd.schemaregistry.v1+json';

export class SchemaRegistryError extends PlatformError {
  readonly registryStatus: number;
  readonly registryCode: number | undefined;
  constructor(message: string, registryStatus: number, registryCode?: number) {
    super(registryStatus >= 500 ? 'service_unavailable' : 'invalid_request', message, {
      retriable: registryStatus >= 500,
    });
    this.registryStatus = registryStatus;
    this.registryCode = registryCode;
  }
}

export function createRegistryHttp({ url, timeoutMs = 5000 }: { url: string; timeoutMs?: number }): RegistryHttp {
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url + path, {
        method,
        headers: { accept: JSON_TYPE, ...(body === undefined ? {} : { 'content-type': JSON_TYPE }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new UnavailableError('the schema registry is unreachable', error);
    }
    const text = await response.text();
    const parsed = text
      ? (() => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return text;
          }
        })()
      : undefined;
    if (!response.ok) {
      const info = parsed as { message?: string; error_code?: number } | undefined;
      throw new SchemaRegistryError(
        `schema registry ${method} ${path}: ${response.status} ${info?.message ?? text}`.slice(0, 1000),
        response.status,
        info?.error_code,
      );
    }
    return parsed;
  }
  const subjectPath = (subject: string) => encodeURIComponent(subject);
  return {
    async getSchemaById(id) {
      const body = (await call('GET', `/schemas/ids/${id}`)) as { schema: string };
      return body.schema;
    },
    async setCompatibility(subject, level) {
      await call('PUT', `/config/${subjectPath(subject)}`, { compatibility: level });
    },
    async getCompatibility(subject) {
      try {
        const body = (await call('GET', `/config/${subjectPath(subject)}`)) as {
          compatibilityLevel?: string;
          compatibility?: string;
        };
        return body.compatibilityLevel ?? body.compatibility;
      } catch (error) {
        if (error instanceof SchemaRegistryError && error.registryStatus === 404) return undefined;
        throw error;
      }
    },
    async register(subject, schema) {
      const body = (await call('POST', `/subjects/${subjectPath(subject)}/versions`, {
        schema,
        schemaType: 'AVRO',
      })) as { id: number };
      return body.id;
    },
    async testCompatibility(subject, schema) {
      const body = (await call('POST', `/compatibility/subjects/${subjectPath(subject)}/versions/latest`, {
        schema,
        schemaType: 'AVRO',
      })) as { is_compatible: boolean };
      return body.is_compatible;
    },
  };
}
