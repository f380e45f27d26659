import { createStore } from '../lib/store.js';

/** Who is signed in: the API key and the organization it acts on (an admin key picks one). */
export interface Session {
  key: string;
  admin: boolean;
  organizationId: string;
  /** The organizations an admin key may pick from (those the API's keys name). */
  organizations: string[];
}

// The key lives in this tab's session storage only: gone when the tab closes, never in a URL,
// never shared with another tab or written to local storage.
const STORAGE_KEY = 'rg.console.session';

function load(): Session | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return value && typeof value.key === 'string' && typeof value.organizationId === 'string' ? value : null;
  } catch {
    return null;
  }
}

export const session = createStore<Session | null>(load());
/** Why the last session ended, for the sign-in page (e.g. a key revoked while in use). */
export const signInNotice = createStore<string | null>(null);

export function signIn(value: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  signInNotice.set(null);
  session.set(value);
}

export function signOut(notice: string | null = null): void {
  sessionStorage.removeItem(STORAGE_KEY);
  signInNotice.set(notice);
  session.set(null);
}

/** An admin switches the organization it acts on. */
export function switchOrganization(organizationId: string): void {
  const current = session.get();
  if (current?.admin) signIn({ ...current, organizationId });
}
