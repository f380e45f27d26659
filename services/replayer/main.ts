// The replay worker alone: node dist/services/replayer/main.js
import { createPlatform } from '../../core/platform.js';
import { provisionPlatform } from '../../core/provision.js';
import { runService } from '../../core/service/run.js';
import { startReplayer } from './start.js';

await runService('replayer', async ({ config, logger, metrics }) => {
  await provisionPlatform({ config, logger });
  const platform = await createPlatform({ config, logger, metrics, name: 'replayer' });
  const replayer = await startReplayer(platform);
  return async () => {
    await replayer.stop();
    await platform.close();
  };
});
