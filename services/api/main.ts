// The HTTP API alone: `node dist/services/api/main.js`.
import { runPlatformService } from '../../core/service/run.js';
import { startApi } from './start.js';

await runPlatformService('api', (platform) => startApi(platform));
