import { errorMessage } from '../../core/errors/index.js';
import type { Logger } from '../../core/log/logger.js';
import type { EventProducer } from '../../core/producer/producer.js';

/** The `webhook.sent`, `webhook.failed` and `webhook.disabled` events, through the producer library. */
export interface DeliveryNotifier {
  sent(
    organizationId: string,
    data: {
      webhook_id: string;
      delivery_id: string;
      url: string;
      status_code: number;
      duration_ms: number;
      event_id: string;
      attempt: number;
    },
  ): void;
  failed(
    organizationId: string,
    data: {
      webhook_id: string;
      delivery_id: string;
      url: string;
      error: string;
      retry_count: number;
      next_retry_at: string | null;
      status_code: number | null;
      event_id: string;
    },
  ): void;
  disabled(
    organizationId: string,
    data: { webhook_id: string; url: string; reason: 'gone' | 'failing'; failing_since: string | null },
  ): Promise<void>;
}

/**
 * Publishes without holding the delivery back: the events are notifications about deliveries,
 * so a crash between an attempt and the acknowledgement of its event can lose that event (the
 * delivery log and the delivery itself are unaffected). Failures are logged.
 */
export function createDeliveryNotifier({
  producer,
  logger,
}: {
  producer: Pick<EventProducer, 'publish'>;
  logger: Logger;
}): DeliveryNotifier {
  const publish = (type: string, organizationId: string, data: Record<string, unknown>) =>
    producer.publish({ type, data }, { organizationId });
  const logFailure = (type: string) => (error: unknown) =>
    logger.warn('delivery event not published', { type, error: errorMessage(error) });
  return {
    sent: (organizationId, data) =>
      void publish('webhook.sent', organizationId, data).catch(logFailure('webhook.sent')),
    failed: (organizationId, data) =>
      void publish('webhook.failed', organizationId, data).catch(logFailure('webhook.failed')),
    disabled: async (organizationId, data) => {
      await publish('webhook.disabled', organizationId, data).catch(logFailure('webhook.disabled'));
    },
  };
}
