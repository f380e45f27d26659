import { Type } from '@sinclair/typebox';
import type { ApiKey } from '../../../core/config/index.js';
import { callerOf } from '../http/auth.js';
import { defineRoute, type Route } from '../http/route.js';
import { nullable } from '../http/schemas.js';

export interface WhoamiRoutesOptions {
  /** The configured API keys (RG_API_KEYS): an admin is offered the organizations they name. */
  keys: readonly ApiKey[];
}

/**
 * `GET /whoami`: what the API key may do. For an ordinary key its organization; for an admin key
 * `admin: true` and the organizations the configured keys name (an admin may act for any other
 * too, by naming it in `RG-Organization-Id`). The console's sign-in checks a key with it.
 */
export function whoamiRoutes({ keys }: WhoamiRoutesOptions): Route[] {
  const organizations = [...new Set(keys.filter((key) => !key.admin).map((key) => key.organizationId))].sort();
  return [
    defineRoute({
      method: 'get',
      path: '/whoami',
      summary: 'What the API key may do',
      description:
        'An ordinary key: its organization. An admin key: `admin: true` and the organizations the configured keys name (it may act for any by naming it in `RG-Organization-Id`).',
      access: 'key',
      responses: {
        200: {
          description: 'The caller',
          schema: Type.Object({
            admin: Type.Boolean(),
            organization_id: nullable(Type.String()),
            organizations: Type.Array(Type.String()),
          }),
        },
      },
      handler: (_input, req, res) => {
        const caller = callerOf(req);
        res.json({
          admin: caller.admin,
          organization_id: caller.organizationId ?? null,
          organizations: caller.admin ? organizations : [caller.organizationId],
        });
      },
    }),
  ];
}
