import { createStore } from '../lib/store.js';

export interface Connectivity {
  /** False from a request that could not reach the API until a probe reaches it again. */
  online: boolean;
  /** Counts the returns online: pages reload their data when it changes. */
  generation: number;
}

export const connectivity = createStore<Connectivity>({ online: true, generation: 0 });

/** How often the API is probed while unreachable, in ms. */
const PROBE_INTERVAL_MS = 1000;
let probing = false;

/** A request could not reach the API: show the banner and probe `/healthz` until it answers. */
export function reportUnreachable(): void {
  if (connectivity.get().online) connectivity.set({ ...connectivity.get(), online: false });
  if (probing) return;
  probing = true;
  void (async () => {
    while (!connectivity.get().online) {
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
      try {
        const answer = await fetch('/healthz', { cache: 'no-store' });
        if (answer.ok) reportReachable();
      } catch {
        // still unreachable
      }
    }
    probing = false;
  })();
}

/** The API answered. */
export function reportReachable(): void {
  const current = connectivity.get();
  if (!current.online) connectivity.set({ online: true, generation: current.generation + 1 });
}
