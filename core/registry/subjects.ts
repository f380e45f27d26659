import { topicForCategory } from '../events/categories.js';
import type { EventTypeInfo } from '../events/model.js';

/**
 * Subject naming: TopicRecordNameStrategy, `<topic>-<record full name>`, e.g.
 * `events.session-io.resonantgenesis.events.session.SessionCompleted`.
 *
 * Several event types share one category topic, so the default TopicNameStrategy (one subject
 * per topic) would force all of them into one schema; RecordNameStrategy alone would drop the
 * topic from the subject. With the topic and the record name, each type evolves on its own, under
 * its own compatibility checks, and a standard Confluent deserializer configured with the same
 * strategy reads every record.
 */
export function subjectFor(info: Pick<EventTypeInfo, 'category' | 'recordName'>): string {
  return `${topicForCategory(info.category)}-${info.recordName}`;
}

/** Compatibility level every event schema is registered under. */
export const SCHEMA_COMPATIBILITY = 'BACKWARD_TRANSITIVE';
