import { createStore } from '../lib/store.js';

/**
 * A secret the API has just shown (on create or rotate), handed from the page that got it to
 * the webhook's page, which shows it once. Kept in memory only.
 */
export const revealedSecret = createStore<{
  webhookId: string;
  secret: string;
  previousExpiresAt: string | null;
} | null>(null);
