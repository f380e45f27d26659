import type { EventCatalog } from '../events/catalog.js';
import type { PlatformEvent } from '../events/model.js';
import { validateEvent } from '../events/validate.js';
import type { FilterColumns } from './sql.js';

/*
 * The filter conformance suite, as data: events (each valid for its type's schema), and cases of
 * a filter, an event and whether the filter matches it. `core/filter/conformance.test.ts` runs
 * every case in process; `test/integration/filter-conformance.test.ts` runs every case on the real
 * ClickHouse (and every filter against every event, both ways). They must agree.
 */

/** An event as a producer publishes it (id, time and organization are filled in). */
export interface ConformanceEvent {
  type: string;
  data: Record<string, unknown>;
  /** The user who caused the event; default none. */
  userId?: string;
}

/** The columns of the conformance suite's ClickHouse table (the shape of history's), for compileSql. */
export const CONFORMANCE_COLUMNS: FilterColumns = {
  type: 'type',
  data: 'data',
  session_id: 'session_id',
  agent_id: 'agent_id',
  team_id: 'team_id',
  user_id: 'user_id',
};

export interface ConformanceCase {
  /** What the case shows. */
  about: string;
  /** A key of CONFORMANCE_EVENTS. */
  event: string;
  filter: string;
  /** The request's `types` parameter, when there is one. */
  types?: string[];
  expected: boolean;
}

const HOSTILE = `Robert'); DROP TABLE events;-- \\ " ' % _ * \u0000 \t\n{p0:String} ünïcødé 😀`;

export const CONFORMANCE_EVENTS: Record<string, ConformanceEvent> = {
  failedRateLimited: {
    type: 'session.failed',
    data: {
      session_id: 'sess_1',
      agent_id: 'agent_1',
      error_code: 'rate_limited',
      error_message: 'Too many requests',
      step_number: 3,
    },
    userId: 'user_1',
  },
  failedTimeout: {
    type: 'session.failed',
    data: {
      session_id: 'sess_2',
      agent_id: 'agent_2',
      error_code: 'timeout',
      error_message: 'Session timed out after 300 seconds',
      step_number: null,
    },
  },
  completedBig: {
    type: 'session.completed',
    data: {
      session_id: 'sess_3',
      agent_id: 'agent_1',
      status: 'completed',
      steps: 12,
      duration_ms: 98765,
      tokens_used: 150000,
    },
    userId: 'user_2',
  },
  completedSmall: {
    type: 'session.completed',
    data: {
      session_id: 'sess_4',
      agent_id: 'agent_2',
      status: 'completed',
      steps: 5,
      duration_ms: 12345,
      tokens_used: 2500,
    },
  },
  completedExtremes: {
    type: 'session.completed',
    data: {
      session_id: 'sess_5',
      agent_id: 'agent_3',
      status: 'partial',
      steps: -2147483648,
      duration_ms: -4503599627370496,
      tokens_used: 9007199254740990,
    },
  },
  stepWithTool: {
    type: 'session.step.completed',
    data: { session_id: 'sess_1', step_number: 3, step_type: 'tool_call', tool: 'web_search', duration_ms: 1234 },
  },
  stepWithoutTool: {
    type: 'session.step.completed',
    data: { session_id: 'sess_1', step_number: 4, step_type: 'thought', tool: null, duration_ms: 0 },
  },
  agentCreated: {
    type: 'agent.created',
    data: {
      agent_id: 'agent_123',
      name: 'Research Assistant',
      model: 'gpt-4-turbo',
      tools: ['web_search', 'browse'],
      created_by: 'user_456',
    },
    userId: 'user_456',
  },
  agentCreatedNoTools: {
    type: 'agent.created',
    data: { agent_id: 'agent_124', name: 'Äpfel 🍎 Agent', model: 'claude', tools: [], created_by: 'user_456' },
  },
  agentUpdated: {
    type: 'agent.updated',
    data: {
      agent_id: 'agent_123',
      changes: {
        name: { old: 'Old Name', new: 'New Name' },
        max_steps: { old: 10, new: 25 },
        public: { old: false, new: true },
        'max.tokens': { old: null, new: 4096.5 },
        notes: { old: '1234', new: { deep: 'value' } },
        tags: { old: ['a', 'b'], new: [] },
      },
      updated_by: 'user_456',
    },
  },
  agentUpdatedHugeNumbers: {
    type: 'agent.updated',
    data: {
      agent_id: 'agent_125',
      changes: {
        budget: { old: 1e20, new: 123456789012345680000 },
        tiny: { old: 5e-324, new: -1e-7 },
        // As the API's JSON parser reads a body holding these digits.
        beyond_2_53: JSON.parse('{"old": 9007199254740993, "new": -9007199254740993}'),
      },
      updated_by: 'user_456',
    },
  },
  agentPublished: {
    type: 'agent.published',
    data: { agent_id: 'agent_123', listing_id: 'mkt_abc', price: 49.99, dsid: '0x...' },
  },
  agentPublishedHugePrice: {
    type: 'agent.published',
    data: { agent_id: 'agent_126', listing_id: 'mkt_big', price: 1e20, dsid: '0x1' },
  },
  agentPublishedMaxPrice: {
    type: 'agent.published',
    data: { agent_id: 'agent_127', listing_id: 'mkt_max', price: 1.7976931348623157e308, dsid: '0x2' },
  },
  invoice: {
    type: 'billing.invoice.created',
    data: {
      invoice_id: 'inv_1',
      amount: 0.1 + 0.2,
      currency: 'EUR',
      period_start: '2026-02-01',
      period_end: '2026-02-28',
    },
  },
  paymentFailedRetry: {
    type: 'billing.payment.failed',
    data: {
      payment_id: 'pay_1',
      invoice_id: 'inv_1',
      amount: 99,
      error: 'Card declined',
      retry_at: '2026-03-01T12:00:00+02:00',
    },
  },
  paymentFailedFinal: {
    type: 'billing.payment.failed',
    data: { payment_id: 'pay_2', invoice_id: 'inv_2', amount: 12.5, error: 'Card declined', retry_at: null },
  },
  incident: {
    type: 'system.incident.created',
    data: {
      incident_id: 'inc_1',
      title: 'Webhook delivery delays',
      severity: 'major',
      status: 'investigating',
      components: ['api', 'webhooks'],
    },
  },
  maintenance: {
    type: 'system.maintenance.scheduled',
    data: {
      maintenance_id: 'mnt_1',
      title: 'Database upgrade',
      description: 'History queries may be slower.',
      components: ['history'],
      starts_at: '2026-03-01T02:00:00Z',
      ends_at: '2026-03-01T02:30:00.250Z',
    },
  },
  hostileLogin: {
    type: 'user.login',
    data: { user_id: 'user_1', method: "pass'word", ip_address: '%_\\', user_agent: HOSTILE },
  },
  brokenUnicodeLogin: {
    // A lone surrogate cannot travel in Avro's UTF-8: consumers and history both see U+FFFD instead.
    type: 'user.login',
    data: { user_id: 'user_3', method: 'sso', ip_address: '10.0.0.1', user_agent: 'bad \ud800 half' },
  },
  settingsUpdated: {
    type: 'user.settings.updated',
    data: {
      user_id: 'user_2',
      changes: {
        theme: { old: 'light', new: 'dark' },
        '': { old: 1, new: 2 },
        'quote\'"\\': { old: 'a', new: 'b' },
        constructor: { old: 'x', new: 'y' },
      },
    },
  },
  webhookFailed: {
    type: 'webhook.failed',
    data: {
      webhook_id: 'wh_1',
      delivery_id: 'del_1',
      url: 'https://example.com/hook?a=1&b=%20',
      error: 'HTTP 500',
      retry_count: 2,
      next_retry_at: '2026-02-21T03:30:00Z',
      status_code: 500,
      event_id: null,
    },
    userId: 'user_9',
  },
  webhookFailedNoAnswer: {
    type: 'webhook.failed',
    data: {
      webhook_id: 'wh_2',
      delivery_id: 'del_2',
      url: 'https://example.com/hook',
      error: 'Connection timeout',
      retry_count: 0,
      next_retry_at: null,
      status_code: null,
      event_id: 'evt_01JMG3W6Q8Z3K6N1V9S2T4X7YB',
    },
  },
  teamTask: {
    type: 'team.task.completed',
    data: { team_id: 'team_1', task_id: 'task_1', completed_by: 'agent_789', result: 'success', duration_ms: 5000 },
    userId: 'user_1',
  },
  agentDeleted: {
    type: 'agent.deleted',
    data: { agent_id: 'agent_1', deleted_by: 'user_1', permanent: true },
  },
};

/** `[event, filter, expected, about]`, read into ConformanceCase below. */
type Row = [event: string, filter: string, expected: boolean, about: string, types?: string[]];

const ROWS: Row[] = [
  // The examples.
  [
    'failedRateLimited',
    'type = "session.failed" AND data.error_code = "rate_limited"',
    true,
    'issue: failed and rate limited',
  ],
  ['failedTimeout', 'type = "session.failed" AND data.error_code = "rate_limited"', false, 'issue: another error code'],
  ['completedBig', 'type = "session.completed" AND data.tokens_used >= 100000', true, 'issue: tokens over 100,000'],
  ['completedSmall', 'type = "session.completed" AND data.tokens_used >= 100000', false, 'issue: tokens under 100,000'],
  ['failedRateLimited', 'type = "session.completed" AND data.tokens_used >= 100000', false, 'issue: another type'],

  // Types and wildcards.
  ['failedTimeout', 'type = "session.*"', true, 'type prefix'],
  ['agentCreated', 'type = session.*', false, 'bare type prefix, another category'],
  ['stepWithTool', 'type = "session.step.*"', true, 'type prefix with two dots'],
  ['completedBig', 'type IN ("session.failed", "agent.*")', false, 'type one-of, none matching'],
  ['agentDeleted', 'type IN ("session.failed", "agent.*")', true, 'type one-of with a prefix'],
  ['agentDeleted', 'type != "agent.deleted"', false, 'type not equal'],
  ['agentCreated', '-type = "agent.deleted"', true, 'type negated with -'],
  ['completedBig', 'data.tokens_used > 5', true, 'request types include the type', ['session.*']],
  ['completedBig', '', false, 'request types exclude the type', ['agent.*']],
  ['completedBig', '', true, 'empty filter: every event'],

  // Resource ids (history's rule: the data field, else metadata.user_id for user_id).
  ['failedRateLimited', 'session_id = "sess_1"', true, 'session id'],
  ['stepWithTool', 'session_id = "sess_1" AND agent_id:*', false, 'a step carries no agent id'],
  ['completedBig', 'agent_id IN ("agent_1", "agent_9")', true, 'agent id one-of'],
  ['completedSmall', 'agent_id = "agent_*"', true, 'agent id prefix'],
  ['completedSmall', 'agent_id != "agent_2"', false, 'agent id not equal'],
  ['invoice', 'agent_id != "agent_2"', true, 'not equal holds without the id'],
  ['invoice', 'NOT agent_id:*', true, 'no agent id'],
  ['teamTask', 'team_id = "team_1"', true, 'team id'],
  ['hostileLogin', 'user_id = "user_1"', true, 'user id from data'],
  ['webhookFailed', 'user_id = "user_9"', true, 'user id from metadata'],
  ['agentCreated', 'user_id = "user_456"', true, 'user id from metadata on an agent event'],
  ['completedSmall', 'user_id:*', false, 'no user at all'],
  ['completedBig', 'user_id = "user_2" AND session_id = "sess_3" AND agent_id = "agent_1"', true, 'three ids'],

  // Text equality, one-of, prefix, negation, case.
  ['failedTimeout', 'data.error_code = timeout', true, 'bare word'],
  ['failedTimeout', 'data.error_code = "TIMEOUT"', false, 'case-sensitive'],
  ['failedTimeout', 'data.error_code IN ("rate_limited", "timeout")', true, 'one-of'],
  ['failedTimeout', '(data.error_code = "rate_limited" OR data.error_code = "timeout")', true, 'one-of as OR'],
  ['failedRateLimited', 'data.error_code != "rate_limited"', false, 'not equal'],
  ['completedBig', 'data.error_code != "rate_limited"', true, 'not equal holds on a missing field'],
  ['completedBig', 'data.error_code = "rate_limited"', false, 'equality on a missing field', ['session.*']],
  ['failedTimeout', 'data.error_message = "Session timed*"', true, 'prefix'],
  ['failedTimeout', 'data.error_message = "session timed*"', false, 'prefix is case-sensitive'],
  [
    'failedTimeout',
    'data.error_message = "Session timed out after 300 seconds*"',
    true,
    'prefix equal to the whole value',
  ],
  ['failedTimeout', 'data.error_code IN ("rate*", "time*")', true, 'one-of prefixes'],
  ['failedTimeout', 'data.error_code IN ("rate*", "x")', false, 'one-of prefixes, none matching'],
  ['completedBig', 'data.status = "completed" AND data.steps >= 12', true, 'text and number'],
  ['incident', 'data.severity = "major"', true, 'enum'],
  ['incident', 'data.severity IN ("critical", "minor")', false, 'enum one-of'],
  ['incident', 'data.severity = "ma*"', true, 'enum prefix'],

  // Whole numbers: int and long fields, compared exactly.
  ['completedBig', 'data.steps = 12', true, 'int equality'],
  ['completedBig', 'data.steps > 11.5', true, 'int above a fraction'],
  ['completedBig', 'data.steps < 12.5', true, 'int below a fraction'],
  ['completedBig', 'data.steps > 12', false, 'int strictly above itself'],
  ['completedBig', 'data.steps IN (1, 12, 13)', true, 'int one-of'],
  ['completedBig', 'data.duration_ms >= 98765 AND data.duration_ms <= 98765', true, 'long range of one value'],
  ['completedExtremes', 'data.tokens_used = 9007199254740990', true, 'the largest long Avro reads exactly (2^53 - 2)'],
  ['completedExtremes', 'data.tokens_used < 9007199254740992', true, 'long below 2^53'],
  ['completedExtremes', 'data.tokens_used >= 9007199254740990.5', false, 'long above 2^53 - 2 by half'],
  ['completedExtremes', 'data.tokens_used > 9007199254740989.5', true, 'long at a fraction near 2^53'],
  ['completedExtremes', 'data.tokens_used < 1e30', true, 'long below a huge bound'],
  ['completedExtremes', 'data.tokens_used > 99999999999999999999999', false, 'long above a huge bound'],
  ['completedExtremes', 'data.duration_ms = -4503599627370496', true, 'negative long (-2^52)'],
  ['completedExtremes', 'data.duration_ms < -4503599627370495.5', true, 'negative long below a fraction'],
  ['completedExtremes', 'data.steps <= -2147483648', true, 'smallest int'],
  ['stepWithoutTool', 'data.duration_ms = 0', true, 'zero'],
  ['stepWithoutTool', 'data.duration_ms = -0', true, 'negative zero'],
  ['failedRateLimited', 'data.step_number = 3', true, 'nullable int'],
  ['failedTimeout', 'data.step_number = 3', false, 'nullable int, null'],
  ['failedTimeout', 'data.step_number != 3', true, 'not equal holds on null'],
  ['failedTimeout', 'data.step_number < 1000', false, 'ordering on null'],
  ['failedTimeout', 'NOT data.step_number >= 0', true, 'negated ordering on null'],
  ['webhookFailed', 'data.status_code >= 500 AND data.retry_count IN (1, 2)', true, 'int and nullable int'],
  ['webhookFailedNoAnswer', 'data.status_code >= 500', false, 'nullable int, null'],

  // Floating point: float and double fields.
  ['agentPublished', 'data.price = 49.99', true, 'double equality'],
  ['agentPublished', 'data.price > 49.989999', true, 'double above'],
  ['agentPublished', 'data.price < 49.99', false, 'double strictly below itself'],
  ['invoice', 'data.amount = 0.30000000000000004', true, 'double with rounding error'],
  ['invoice', 'data.amount = 0.3', false, '0.1 + 0.2 is not 0.3'],
  ['paymentFailedRetry', 'data.amount = 99', true, 'whole double'],
  ['paymentFailedRetry', 'data.amount IN (12.5, 99.0)', true, 'double one-of'],
  ['agentPublishedHugePrice', 'data.price = 1e20', true, 'double of 21 digits'],
  ['agentPublishedHugePrice', 'data.price > 18446744073709551615', true, 'double above 2^64'],
  ['agentPublishedHugePrice', 'data.price = 100000000000000000001', true, 'a literal rounds to the nearest double'],
  ['agentPublishedMaxPrice', 'data.price >= 1.7976931348623157e308', true, 'largest double'],
  ['agentPublishedMaxPrice', 'data.price < 1e308', false, 'largest double above 1e308'],

  // Booleans.
  ['agentDeleted', 'data.permanent = true', true, 'boolean'],
  ['agentDeleted', 'data.permanent != true', false, 'boolean not equal'],
  ['agentDeleted', 'data.permanent = false', false, 'boolean, other value'],

  // Timestamps and dates: compared as instants.
  ['maintenance', 'data.starts_at = "2026-03-01T02:00:00Z"', true, 'timestamp equality, other spelling'],
  ['maintenance', 'data.starts_at = "2026-03-01T04:00:00+02:00"', true, 'timestamp equality, with an offset'],
  ['maintenance', 'data.starts_at > "2026-03-01T03:59:59.999+02:00"', true, 'timestamp after'],
  ['maintenance', 'data.starts_at < "2026-03-01T02:00:00.000Z"', false, 'timestamp strictly before itself'],
  ['maintenance', 'data.ends_at >= "2026-03-01T02:30:00.25Z"', true, 'timestamp with milliseconds'],
  ['maintenance', 'data.ends_at > "2026-03-01T02:30:00.25Z"', false, 'timestamp, milliseconds equal'],
  [
    'maintenance',
    'data.starts_at >= "2026-03-01T00:00:00Z" AND data.ends_at < "2026-03-02T00:00:00Z"',
    true,
    'timestamp window',
  ],
  ['paymentFailedRetry', 'data.retry_at = "2026-03-01T10:00:00Z"', true, 'nullable timestamp, given with an offset'],
  ['paymentFailedFinal', 'data.retry_at < "2100-01-01T00:00:00Z"', false, 'nullable timestamp, null'],
  ['paymentFailedFinal', 'NOT data.retry_at:*', true, 'nullable timestamp is null'],
  ['webhookFailed', 'data.next_retry_at IN ("2026-02-21T03:30:00Z", "2026-02-21T04:00:00Z")', true, 'timestamp one-of'],
  ['invoice', 'data.period_start >= "2026-02-01" AND data.period_end < "2026-03-01"', true, 'dates'],
  ['invoice', 'data.period_end = "2026-02-27"', false, 'date equality'],

  // Presence, missing fields and nulls.
  ['stepWithTool', 'data.tool:*', true, 'present'],
  ['stepWithoutTool', 'data.tool:*', false, 'null is not present'],
  ['stepWithoutTool', '-data.tool:*', true, 'negated presence on null'],
  ['stepWithTool', 'data.tool = "web_search" OR data.tool = "browse"', true, 'nullable text'],
  ['stepWithoutTool', 'data.tool != "web_search"', true, 'not equal holds on null'],
  ['completedBig', 'data.error_code:*', false, 'missing field', ['session.*']],
  ['completedBig', 'NOT data.error_code:*', true, 'missing field, negated', ['session.*']],
  ['webhookFailedNoAnswer', 'data.event_id = "evt_01JMG3W6Q8Z3K6N1V9S2T4X7YB"', true, 'nullable text set'],
  ['webhookFailed', 'data.event_id:*', false, 'nullable text null'],

  // Arrays.
  ['agentCreated', 'data.tools : "web_search"', true, 'array contains'],
  ['agentCreated', 'data.tools : "search"', false, 'array contains is not substring'],
  ['agentCreated', 'data.tools : "br*"', true, 'array element with a prefix'],
  ['agentCreatedNoTools', 'data.tools : "web_search"', false, 'empty array'],
  ['agentCreatedNoTools', 'data.tools:*', true, 'empty array is present'],
  ['incident', 'data.components : "webhooks" AND NOT data.components : "history"', true, 'array contains, and not'],
  ['maintenance', 'data.components : "hist*" AND data.components : "history"', true, 'array with prefix and value'],

  // Maps and any-JSON values (changes).
  ['agentUpdated', 'data.changes : "name"', true, 'map has key'],
  ['agentUpdated', 'data.changes : "nam"', false, 'map has key, exactly'],
  ['agentUpdated', 'data.changes.name.new = "New Name"', true, 'map value field'],
  ['agentUpdated', 'data.changes.name:*', true, 'map key present'],
  ['agentUpdated', 'data.changes.model:*', false, 'map key absent'],
  ['agentUpdated', 'data.changes.max_steps.new = 25', true, 'JSON number'],
  ['agentUpdated', 'data.changes.max_steps.new = "25"', false, 'JSON number is not text'],
  ['agentUpdated', 'data.changes.max_steps.old IN (10, "10")', true, 'JSON one-of of two kinds'],
  ['agentUpdated', 'data.changes.public.new = true', true, 'JSON boolean'],
  ['agentUpdated', 'data.changes.public.old = false', true, 'JSON false'],
  ['agentUpdated', 'data.changes."max.tokens".new = 4096.5', true, 'quoted key with a dot'],
  ['agentUpdated', 'data.changes."max.tokens".old:*', false, 'JSON null is not present'],
  ['agentUpdated', 'data.changes.notes.old = "1234"', true, 'JSON text of digits'],
  ['agentUpdated', 'data.changes.notes.old = 1234', false, 'JSON text is not a number'],
  ['agentUpdated', 'data.changes.notes.new.deep = "value"', true, 'inside a JSON object'],
  [
    'agentUpdatedHugeNumbers',
    'data.changes.budget.old = 100',
    false,
    'JSON number beyond 2^64, compared with a small one',
  ],
  ['agentUpdatedHugeNumbers', 'data.changes.budget:*', true, 'map key of huge numbers'],
  ['agentUpdatedHugeNumbers', 'data.changes.budget.new:*', true, 'JSON number beyond 2^64 is present'],
  ['agentUpdatedHugeNumbers', 'data.changes.budget.new = "Bot"', false, 'JSON number beyond 2^64 is not text'],
  ['agentUpdatedHugeNumbers', 'data.changes.tiny.old = 5e-324', true, 'smallest double'],
  ['agentUpdatedHugeNumbers', 'data.changes.tiny.new = -0.0000001', true, 'small negative'],
  [
    'agentUpdatedHugeNumbers',
    'data.changes.beyond_2_53.old = 9007199254740992',
    true,
    'beyond 2^53 rounds as JSON does',
  ],
  ['agentUpdatedHugeNumbers', 'data.changes.beyond_2_53.new = -9007199254740993', true, 'literal rounds the same way'],
  ['settingsUpdated', 'data.changes : ""', true, 'empty map key'],
  ['settingsUpdated', 'data.changes."".new = 2', true, 'value under the empty key'],
  ['settingsUpdated', `data.changes : "quote'\\"\\\\"`, true, 'map key with quotes and a backslash'],
  ['settingsUpdated', 'data.changes : "constructor"', true, 'map key named like an object property'],
  ['agentUpdated', 'data.changes : "constructor"', false, 'an inherited property is not a key'],
  ['agentUpdated', 'data.changes : "__proto__"', false, 'no prototype key'],
  ['agentUpdated', 'data.changes.toString:*', false, 'an inherited property is not a field'],
  ['agentUpdated', 'data.changes.tags.old:*', true, 'a JSON array is present'],
  ['agentUpdated', 'data.changes.tags.old.0 = "a"', false, 'JSON arrays are not entered by index'],
  ['settingsUpdated', 'data.changes.theme.new = "dark" AND user_id = "user_2"', true, 'settings change by user'],

  // Unicode.
  ['agentCreatedNoTools', 'data.name = "Äpfel 🍎 Agent"', true, 'non-ASCII text'],
  ['agentCreatedNoTools', 'data.name = "\\u00c4pfel \\ud83c\\udf4e Agent"', true, 'the same text, escaped'],
  ['agentCreatedNoTools', 'data.name = "Apfel 🍎 Agent"', false, 'no folding of accents'],
  ['agentCreatedNoTools', 'data.name = "Äpfel 🍎*"', true, 'prefix ending in an emoji'],
  ['brokenUnicodeLogin', 'data.user_agent = "bad \\ufffd*"', true, 'a lone surrogate arrives as U+FFFD'],

  // Hostile strings match as plain values.
  [
    'hostileLogin',
    `data.user_agent = "Robert'); DROP TABLE events;-- \\\\ \\" ' % _ \\* \u0000 \\t\\n{p0:String} ünïcødé 😀"`,
    true,
    'every hostile character, exactly',
  ],
  ['hostileLogin', `data.user_agent = "Robert'); DROP*"`, true, 'hostile prefix'],
  ['hostileLogin', 'data.user_agent = "%"', false, '% is not a LIKE wildcard'],
  ['hostileLogin', 'data.user_agent = "_*"', false, '_ is not a LIKE wildcard'],
  ['hostileLogin', 'data.ip_address = "%_\\\\"', true, '% _ and a backslash'],
  ['hostileLogin', 'data.ip_address = "%_\\\\*"', true, 'prefix ending in a backslash'],
  ['hostileLogin', `data.method = 'pass\\'word'`, true, 'single quotes with an escaped quote'],
  ['hostileLogin', `data.method = "pass'word" AND data.method != "pass''word"`, true, 'quote not doubled'],
  ['hostileLogin', 'data.method = "pass\\u0027word"', true, 'quote as \\u escape'],
  ['webhookFailed', 'data.url = "https://example.com/hook?a=1&b=%20"', true, 'URL with query characters'],

  // AND, OR, NOT combined.
  [
    'failedRateLimited',
    '(type = "session.failed" AND data.error_code = "rate_limited") OR (type = "session.completed" AND data.tokens_used >= 100000)',
    true,
    'either example',
  ],
  [
    'completedBig',
    '(type = "session.failed" AND data.error_code = "rate_limited") OR (type = "session.completed" AND data.tokens_used >= 100000)',
    true,
    'either example, the other',
  ],
  [
    'completedSmall',
    '(type = "session.failed" AND data.error_code = "rate_limited") OR (type = "session.completed" AND data.tokens_used >= 100000)',
    false,
    'neither example',
  ],
  [
    'failedTimeout',
    'type = "session.*" AND NOT (data.error_code = "rate_limited" OR data.tokens_used < 100)',
    true,
    'NOT of an OR',
  ],
  ['completedSmall', 'NOT (agent_id = "agent_2" AND data.steps = 5)', false, 'NOT of an AND'],
  [
    'stepWithTool',
    'session_id = "sess_1" AND (data.tool = "web_*" OR data.step_number > 10) AND -data.duration_ms < 1000',
    true,
    'three parts',
  ],
];

export const CONFORMANCE_CASES: ConformanceCase[] = ROWS.map(([event, filter, expected, about, types]) => ({
  about,
  event,
  filter,
  expected,
  ...(types ? { types } : {}),
}));

/**
 * Each event as consumers and history see it: validated as the API validates it, then through its
 * Avro type and back (as the Kafka record is decoded), so that defaults, timestamps and text are
 * those of a stored event.
 */
export function storedConformanceEvents(catalog: EventCatalog): Map<string, PlatformEvent> {
  const events = new Map<string, PlatformEvent>();
  let sequence = 0;
  for (const [name, input] of Object.entries(CONFORMANCE_EVENTS)) {
    sequence += 1;
    const result = validateEvent(
      {
        id: `evt_conformance${String(sequence).padStart(6, '0')}`,
        type: input.type,
        created_at: '2026-02-21T03:27:00.123Z',
        data: input.data,
        metadata: { user_id: input.userId ?? null },
      },
      { catalog, organizationId: 'org_conformance', nowMs: Date.parse('2026-02-21T03:27:00.123Z'), maxFutureMs: 0 },
    );
    if (!result.ok) throw new Error(`conformance event ${name} is not valid: ${JSON.stringify(result.errors)}`);
    const type = result.entry.avroType;
    events.set(name, type.fromBuffer(type.toBuffer(result.event)) as PlatformEvent);
  }
  return events;
}
