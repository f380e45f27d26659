import { useEffect, useState } from 'preact/hooks';
import { connectivity } from './api/connectivity.js';
import { session, signOut, switchOrganization } from './api/session.js';
import { parsePlace, type Place } from './lib/router.js';
import { useStore } from './lib/store.js';
import { CatalogPage } from './pages/catalog.js';
import { EventPage } from './pages/event.js';
import { ExplorerPage } from './pages/explorer.js';
import { LivePage } from './pages/live.js';
import { OverviewPage } from './pages/overview.js';
import { ReplaysPage } from './pages/replays.js';
import { SessionsPage } from './pages/sessions.js';
import { SignInPage } from './pages/sign-in.js';
import { WebhookPage } from './pages/webhook.js';
import { WebhookFormPage } from './pages/webhook-form.js';
import { WebhooksPage } from './pages/webhooks.js';
import { chooseTheme, themeChoice, type ThemeChoice } from './ui/theme.js';

const NAV = [
  { path: '/', label: 'Overview', pages: ['overview'] },
  { path: '/live', label: 'Live', pages: ['live'] },
  { path: '/explorer', label: 'Explorer', pages: ['explorer', 'event'] },
  { path: '/sessions', label: 'Sessions', pages: ['sessions'] },
  { path: '/webhooks', label: 'Webhooks', pages: ['webhooks', 'webhook', 'webhook-new', 'webhook-edit'] },
  { path: '/replays', label: 'Replays', pages: ['replays'] },
  { path: '/catalog', label: 'Catalog', pages: ['catalog'] },
];

function usePlace(): Place {
  const [place, setPlace] = useState(() => parsePlace(location.hash));
  useEffect(() => {
    const update = () => setPlace(parsePlace(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return place;
}

function Page({ place }: { place: Place }) {
  const { route, query } = place;
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'live':
      return <LivePage query={query} />;
    case 'explorer':
      return <ExplorerPage query={query} />;
    case 'event':
      return <EventPage id={route.id} />;
    case 'sessions':
      return <SessionsPage id={route.id} />;
    case 'webhooks':
      return <WebhooksPage />;
    case 'webhook-new':
      return <WebhookFormPage />;
    case 'webhook-edit':
      return <WebhookFormPage id={route.id} />;
    case 'webhook':
      return <WebhookPage id={route.id} />;
    case 'replays':
      return <ReplaysPage query={query} />;
    case 'catalog':
      return <CatalogPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            No page {route.path}. <a href="#/">Go to the overview</a>.
          </p>
        </section>
      );
  }
}

function OfflineBanner() {
  const { online } = useStore(connectivity);
  if (online) return null;
  return (
    <div class="banner" role="alert" data-banner="offline">
      The API is unreachable. Reconnecting by itself; what you see may be out of date.
    </div>
  );
}

function ThemeSwitch() {
  const choice = useStore(themeChoice);
  return (
    <label class="header__control">
      <span class="visually-hidden">Theme</span>
      <select value={choice} onChange={(e) => chooseTheme(e.currentTarget.value as ThemeChoice)}>
        <option value="auto">Theme: system</option>
        <option value="light">Theme: light</option>
        <option value="dark">Theme: dark</option>
      </select>
    </label>
  );
}

export function App() {
  const current = useStore(session);
  const place = usePlace();
  const page = place.route.page;
  const title = NAV.find((entry) => entry.pages.includes(page))?.label;
  useEffect(() => {
    document.title = `${title ? `${title} · ` : ''}ResonantGenesis Events`;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [title, page]);
  if (!current) return <SignInPage />;
  return (
    <div class="shell">
      {/* A button, not a link to #main: the fragment holds the page's address. */}
      <button type="button" class="skip-link button" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="header">
        <a class="header__brand" href="#/">
          <span class="header__logo" aria-hidden="true" />
          Events console
        </a>
        <nav aria-label="Pages" class="nav">
          {NAV.map((entry) => (
            <a
              key={entry.path}
              href={`#${entry.path}`}
              class="nav__link"
              {...(entry.pages.includes(page) ? { 'aria-current': 'page' } : {})}
            >
              {entry.label}
            </a>
          ))}
        </nav>
        <div class="header__side">
          {current.admin ? (
            <label class="header__control">
              <span class="visually-hidden">Organization</span>
              <select value={current.organizationId} onChange={(e) => switchOrganization(e.currentTarget.value)}>
                {[...new Set([current.organizationId, ...current.organizations])].map((org) => (
                  <option key={org} value={org}>
                    {org}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span class="header__org" title="Organization">
              {current.organizationId}
            </span>
          )}
          <ThemeSwitch />
          <button type="button" class="button button--quiet" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <OfflineBanner />
      <main id="main" tabIndex={-1} class="main" key={current.organizationId}>
        {/* One page instance per address: its form starts from the address's filters. */}
        <Page key={JSON.stringify(place)} place={place} />
      </main>
    </div>
  );
}
