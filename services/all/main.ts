// Every service in one process (what `npm start` runs): the HTTP API and the background workers.
// In production each runs alone: node dist/services/<name>/main.js
import { createPlatform } from '../../core/platform.js';
import { provisionPlatform } from '../../core/provision.js';
import { runService, type StopService } from '../../core/service/run.js';
import { startApi } from '../api/start.js';
import { startDemo } from '../demo/start.js';
import { startDispatcher } from '../dispatcher/start.js';
import { startReplayer } from '../replayer/start.js';
import { startSink } from '../sink/start.js';

const DEV_DEMO_KEY = 'rg_dev_demo_key';

await runService('all', async ({ config, logger, metrics }) => {
  await provisionPlatform({ config, logger });
  const platform = await createPlatform({ config, logger, metrics, name: 'all' });
  // Started in order, stopped in reverse: workers first, so the API is the last to go.
  const stops: StopService[] = [];
  const api = await startApi(platform);
  stops.push(() => api.stop());
  // Background workers are added here, one line each: e.g. stops.push((await startSink(platform)).stop);
  stops.push((await startSink(platform)).stop);
  stops.push((await startReplayer(platform)).stop);
  stops.push((await startDispatcher(platform)).stop);
  if (config.demo) stops.push((await startDemo(platform)).stop);
  logger.info('platform running', { api: api.http.url, demo: config.demo });
  // The development keys' demo key (RG_API_KEYS unset) is no secret: print it with the console's address.
  const demoKey = config.api.keys.some((key) => key.key === DEV_DEMO_KEY) ? ` (API key: ${DEV_DEMO_KEY})` : '';
  process.stderr.write(`\nConsole: ${api.http.url}/console/${demoKey}\n\n`);
  return async () => {
    for (const stop of stops.reverse()) await stop();
    await platform.close();
  };
});
