/** The console's pages, addressed by the URL's fragment (`#/explorer?types=session.*`). */
export type Route =
  | { page: 'overview' }
  | { page: 'live' }
  | { page: 'explorer' }
  | { page: 'event'; id: string }
  | { page: 'sessions'; id?: string }
  | { page: 'webhooks' }
  | { page: 'webhook-new' }
  | { page: 'webhook'; id: string }
  | { page: 'webhook-edit'; id: string }
  | { page: 'replays' }
  | { page: 'catalog' }
  | { page: 'not-found'; path: string };

export interface Place {
  route: Route;
  /** The fragment's query: a page's filters, so that a link or a reload shows the same view. */
  query: Record<string, string>;
}

const segment = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** The page and query of a location fragment (`location.hash`). */
export function parsePlace(hash: string): Place {
  const text = hash.replace(/^#/, '');
  const at = text.indexOf('?');
  const path = at === -1 ? text : text.slice(0, at);
  const query = Object.fromEntries(new URLSearchParams(at === -1 ? '' : text.slice(at + 1)));
  const parts = path.split('/').filter(Boolean).map(segment);
  const [first, second, third] = parts;
  const route = ((): Route => {
    if (parts.length === 0) return { page: 'overview' };
    if (parts.length === 1 && (first === 'live' || first === 'explorer' || first === 'replays' || first === 'catalog'))
      return { page: first };
    if (first === 'events' && second && parts.length === 2) return { page: 'event', id: second };
    if (first === 'sessions' && parts.length <= 2)
      return second ? { page: 'sessions', id: second } : { page: 'sessions' };
    if (first === 'webhooks') {
      if (parts.length === 1) return { page: 'webhooks' };
      if (second === 'new' && parts.length === 2) return { page: 'webhook-new' };
      if (second && parts.length === 2) return { page: 'webhook', id: second };
      if (second && third === 'edit' && parts.length === 3) return { page: 'webhook-edit', id: second };
    }
    return { page: 'not-found', path: `/${parts.join('/')}` };
  })();
  return { route, query };
}

/**
 * A link to a page: `href('/explorer', {types: 'session.*'})` → `#/explorer?types=session.*`.
 * Empty values are left out; ids in the path are encoded by the caller (`path('sessions', id)`).
 */
export function href(path: string, query: Record<string, string | undefined | null> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const text = params.toString();
  return `#${path}${text ? `?${text.replaceAll('%2A', '*').replaceAll('%2C', ',')}` : ''}`;
}

/** A path of segments, each encoded: `path('sessions', 'a/b')` → `/sessions/a%2Fb`. */
export const path = (...segments: string[]): string => `/${segments.map(encodeURIComponent).join('/')}`;
