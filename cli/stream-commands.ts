// `rg-events tail` and `rg-events listen --forward-to`: the live stream, printed or forwarded.
import { signatureHeaders } from '../core/webhooks/signature.js';
import type { SubscribeParams } from '../sdk/subscribe.js';
import { FILTER_OPTIONS, filters, list, str, UsageError, type Command, type CommandContext } from './args.js';
import { eventLine } from './output.js';

function subscribeParams(flags: CommandContext['flags'], signal: AbortSignal): SubscribeParams {
  return {
    ...(list(flags.events) ? { events: list(flags.events) } : {}),
    ...filters(flags),
    ...(str(flags['last-event-id']) ? { lastEventId: str(flags['last-event-id']) } : {}),
    // An API that cannot be reached at start ends the command (exit 3) after three tries, about
    // 3 s; once connected, a dropped stream is resumed however long it takes.
    maxInitialAttempts: 3,
    signal,
  };
}

const STREAM_OPTIONS = [
  '--events LIST        type patterns, e.g. session.*,agent.created (default: every type)',
  ...FILTER_OPTIONS,
  '--last-event-id ID   resume after this stream cursor',
];

export const streamCommands: Record<string, Command> = {
  tail: {
    summary: 'Follow the live stream (Ctrl-C to stop)',
    usage: 'tail [--events session.*] [--session-id …] [--last-event-id …]',
    options: STREAM_OPTIONS,
    async run({ client, out, flags, signal }) {
      const subscription = client.events.subscribe(subscribeParams(flags, signal));
      if (!out.json) out.info('listening for events (Ctrl-C to stop)');
      for await (const event of subscription) out.result(event, () => eventLine(event));
    },
  },
  listen: {
    summary: 'Forward the live stream, signed, to a local URL (like `stripe listen`)',
    usage: 'listen --forward-to URL [--events session.*] [--secret whsec_…] [--session-id …]',
    options: [
      '--forward-to URL     where to POST each event (e.g. http://localhost:3000/webhook)',
      '--secret S           signing secret (default: a new whsec_…, printed at start)',
      ...STREAM_OPTIONS,
    ],
    async run({ client, out, flags, signal }) {
      const target = str(flags['forward-to']);
      if (!target) throw new UsageError('--forward-to is required');
      try {
        new URL(target);
      } catch {
        throw new UsageError('--forward-to must be a URL (http://localhost:3000/webhook)');
      }
      const secret =
        str(flags.secret) ?? `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`;
      // On stderr in JSON mode, so that standard output stays one JSON document per forward.
      out.info(`forwarding events to ${target} (Ctrl-C to stop)\nsigning secret: ${secret}`);
      let forwarded = 0;
      let failed = 0;
      for await (const event of client.events.subscribe(subscribeParams(flags, signal))) {
        const result = await forward(target, secret, event);
        if (result.ok) forwarded += 1;
        else failed += 1;
        out.result(
          {
            event_id: event.id,
            type: event.type,
            status: result.status,
            ok: result.ok,
            duration_ms: result.durationMs,
            ...(result.error ? { error: result.error } : {}),
          },
          () =>
            `${result.ok ? 'ok  ' : 'FAIL'}  ${event.type.padEnd(28)} ${event.id} → ${result.status ?? result.error} (${result.durationMs} ms)`,
        );
      }
      out.info(`stopped: ${forwarded} forwarded, ${failed} failed`);
    },
  },
};

/** POSTs one event as the platform's webhooks do (Standard Webhooks headers, signed with `secret`). */
async function forward(
  target: string,
  secret: string,
  event: { id: string },
): Promise<{ ok: boolean; status: number | null; error?: string; durationMs: number }> {
  const body = JSON.stringify(event);
  const started = performance.now();
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signatureHeaders([secret], event.id, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return { ok: response.ok, status: response.status, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      ok: false,
      status: null,
      error: cause?.code ?? cause?.message ?? (error as Error).message,
      durationMs: Math.round(performance.now() - started),
    };
  }
}
