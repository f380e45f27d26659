// The HTTP API alone: `node dist/services/api/main.js` (or `npm run service:api`).
import { createPlatform } from '../../core/platform.js';
import { provisionPlatform } from '../../core/provision.js';
import { runService } from '../../core/service/run.js';
import { startApi } from './start.js';

await runService('api', async ({ config, logger, metrics }) => {
  await provisionPlatform({ config, logger });
  const platform = await createPlatform({ config, logger, metrics, name: 'api' });
  const api = await startApi(platform);
  return async () => {
    await api.stop();
    await platform.close();
  };
});
