// The webhook dispatcher alone: node dist/services/dispatcher/main.js
import { runPlatformService } from '../../core/service/run.js';
import { startDispatcher } from './start.js';

await runPlatformService('dispatcher', (platform) => startDispatcher(platform));
