// The history sink alone: node dist/services/sink/main.js
import { createPlatform } from '../../core/platform.js';
import { provisionPlatform } from '../../core/provision.js';
import { runService } from '../../core/service/run.js';
import { startSink } from './start.js';

await runService('sink', async ({ config, logger, metrics }) => {
  await provisionPlatform({ config, logger });
  const platform = await createPlatform({ config, logger, metrics, name: 'sink' });
  const sink = await startSink(platform);
  return async () => {
    await sink.stop();
    await platform.close();
  };
});
