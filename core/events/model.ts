import type { EventCategory } from './categories.js';

/** Context carried by every event. */
export interface EventMetadata {
  organization_id: string;
  user_id: string | null;
  request_id: string | null;
}

/** An event as users see it: the envelope of the contract. */
export interface PlatformEvent<Type extends string = string, Data = Record<string, unknown>> {
  id: string;
  type: Type;
  /** RFC 3339, UTC, millisecond precision. */
  created_at: string;
  data: Data;
  metadata: EventMetadata;
}

/** What the platform knows about one event type (from its schema in `schemas/`). */
export interface EventTypeInfo {
  type: string;
  category: EventCategory;
  /** The `data` field whose value is the Kafka record key (the event's main resource). */
  resourceKey: string;
  /** Avro full name, e.g. `io.resonantgenesis.events.session.SessionCompleted`. */
  recordName: string;
  /** The schema as written in `schemas/<category>/<type>.avsc`. */
  schema: Record<string, unknown>;
  description: string;
}
