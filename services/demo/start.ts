import type { Platform } from '../../core/platform.js';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { errorMessage } from '../../core/errors/index.js';

export interface DemoOptions {
  /** Organization the demo events belong to. Default `org_demo` (the default dev key's). */
  organizationId?: string;
  /** Pause between two story steps, in ms. Default 1000. */
  intervalMs?: number;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/**
 * One step of the demo story: an agent runs a session, a team works a task, billing and users
 * do their things. Ids vary so that filters by resource have something to find.
 */
function storyStep(n: number): { type: string; data: Record<string, unknown> }[] {
  const session = `sess_demo_${n}`;
  const agent = pick(['agent_123', 'agent_456', 'agent_789']);
  const steps = 2 + (n % 4);
  const story: { type: string; data: Record<string, unknown> }[] = [
    { type: 'session.started', data: { ...GUIDE_EXAMPLES['session.started'], session_id: session, agent_id: agent } },
    ...Array.from({ length: steps }, (_, i) => ({
      type: 'session.step.completed',
      data: {
        ...GUIDE_EXAMPLES['session.step.completed'],
        session_id: session,
        step_number: i + 1,
        duration_ms: 200 + Math.round(Math.random() * 2000),
      },
    })),
    n % 5 === 4
      ? {
          type: 'session.failed',
          data: { ...GUIDE_EXAMPLES['session.failed'], session_id: session, agent_id: agent, step_number: steps },
        }
      : {
          type: 'session.completed',
          data: {
            ...GUIDE_EXAMPLES['session.completed'],
            session_id: session,
            agent_id: agent,
            steps,
            tokens_used: 500 * steps,
          },
        },
  ];
  const rotating = Object.keys(GUIDE_EXAMPLES).filter(
    (type) => !type.startsWith('session.') && !type.startsWith('webhook.'),
  );
  const type = rotating[n % rotating.length]!;
  story.push({ type, data: GUIDE_EXAMPLES[type]! });
  return story;
}

/** A live stream of the guide's events, published through the producer like any service would. */
export async function startDemo(platform: Platform, options: DemoOptions = {}): Promise<{ stop: () => Promise<void> }> {
  const organizationId = options.organizationId ?? 'org_demo';
  const intervalMs = options.intervalMs ?? 1000;
  const logger = platform.logger.child({ component: 'demo' });
  let stopped = false;
  let n = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        const events = storyStep(n++).map((event) => ({
          ...event,
          metadata: { user_id: 'user_456', request_id: `req_demo_${n}` },
        }));
        await platform.producer.publish(events, { organizationId });
        logger.info('demo events published', { count: events.length, types: [...new Set(events.map((e) => e.type))] });
      } catch (error) {
        logger.warn('demo publish failed', { error: errorMessage(error) });
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
