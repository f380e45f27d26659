import { Router } from 'express';
import type { ApiKey } from '../../../core/config/index.js';
import { callerOf } from '../http/auth.js';

export interface WhoamiRoutesOptions {
  /** The configured API keys (RG_API_KEYS): an admin is offered the organizations they name. */
  keys: readonly ApiKey[];
}

/**
 * `GET /whoami`: what the API key may do. For an ordinary key its organization; for an admin key
 * `admin: true` and the organizations the configured keys name (an admin may act for any other
 * too, by naming it in `RG-Organization-Id`). The console's sign-in checks a key with it.
 */
export function whoamiRoutes({ keys }: WhoamiRoutesOptions): Router {
  const router = Router();
  const organizations = [...new Set(keys.filter((key) => !key.admin).map((key) => key.organizationId))].sort();
  router.get('/whoami', (req, res) => {
    const caller = callerOf(req);
    res.json({
      admin: caller.admin,
      organization_id: caller.organizationId ?? null,
      organizations: caller.admin ? organizations : [caller.organizationId],
    });
  });
  return router;
}
