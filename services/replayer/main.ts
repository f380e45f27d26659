// The replay worker alone: node dist/services/replayer/main.js
import { runPlatformService } from '../../core/service/run.js';
import { startReplayer } from './start.js';

await runPlatformService('replayer', (platform) => startReplayer(platform));
