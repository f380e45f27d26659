import { useState } from 'preact/hooks';
import { api, ApiError, failureMessage } from '../api/client.js';
import { signIn, signInNotice } from '../api/session.js';
import type { Whoami } from '../api/types.js';
import { useStore } from '../lib/store.js';
import { TextField } from '../ui/field.js';

const ORGANIZATION = /^[A-Za-z0-9_.-]{1,128}$/;

/** Sign-in with an API key; an admin key then picks the organization to act on. */
export function SignInPage() {
  const notice = useStore(signInNotice);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [admin, setAdmin] = useState<Whoami | null>(null);
  const [organization, setOrganization] = useState('');

  const submitKey = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const trimmed = key.trim();
    if (!trimmed) return setError('Enter an API key.');
    setBusy(true);
    try {
      const who = await api<Whoami>('GET', '/whoami', { as: { key: trimmed, admin: false, organizationId: '' } });
      if (who.admin) {
        setAdmin(who);
        setOrganization(who.organizations[0] ?? '');
      } else signIn({ key: trimmed, admin: false, organizationId: who.organization_id!, organizations: [] });
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'This API key is not valid: it is wrong, or it has been revoked.'
          : failureMessage(failure),
      );
    } finally {
      setBusy(false);
    }
  };

  const submitOrganization = (event: Event) => {
    event.preventDefault();
    if (!ORGANIZATION.test(organization))
      return setError('An organization id is letters, digits, _ . - (at most 128).');
    signIn({ key: key.trim(), admin: true, organizationId: organization, organizations: admin?.organizations ?? [] });
  };

  return (
    <main class="sign-in" id="main">
      <div class="sign-in__card">
        <h1>
          <span class="header__logo" aria-hidden="true" /> Events console
        </h1>
        <p class="muted">Watch, search, deliver and replay your organization's events.</p>
        {notice ? (
          <div class="notice notice--warning" role="status">
            {notice}
          </div>
        ) : null}
        {admin ? (
          <form onSubmit={submitOrganization} noValidate>
            <p>This is an admin key: pick the organization to act on.</p>
            <TextField
              label="Organization"
              name="organization"
              list="organizations"
              value={organization}
              onInput={(value) => setOrganization(value.trim())}
              errors={error ? [error] : undefined}
            />
            <datalist id="organizations">
              {admin.organizations.map((org) => (
                <option key={org} value={org} />
              ))}
            </datalist>
            <div class="actions">
              <button type="submit" class="button button--primary">
                Continue
              </button>
              <button
                type="button"
                class="button"
                onClick={() => {
                  setAdmin(null);
                  setError(null);
                }}
              >
                Use another key
              </button>
            </div>
          </form>
        ) : (
          <form onSubmit={submitKey} noValidate>
            <TextField
              label="API key"
              name="key"
              type="password"
              value={key}
              onInput={setKey}
              errors={error ? [error] : undefined}
              hint="Kept in this tab only (session storage), sent to this API only."
            />
            <div class="actions">
              <button type="submit" class="button button--primary" disabled={busy}>
                {busy ? 'Checking…' : 'Sign in'}
              </button>
            </div>
          </form>
        )}
      </div>
    </main>
  );
}
