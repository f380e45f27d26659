// The history sink alone: node dist/services/sink/main.js
import { runPlatformService } from '../../core/service/run.js';
import { startSink } from './start.js';

await runPlatformService('sink', (platform) => startSink(platform));
