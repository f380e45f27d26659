// The demo stream alone: publishes the guide's events for org_demo, once a second.
import { createPlatform } from '../../core/platform.js';
import { runService } from '../../core/service/run.js';
import { startDemo } from './start.js';

await runService('demo', async ({ config, logger, metrics }) => {
  const platform = await createPlatform({ config, logger, metrics, name: 'demo' });
  const demo = await startDemo(platform);
  return async () => {
    await demo.stop();
    await platform.close();
  };
});
