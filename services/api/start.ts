import type { Platform } from '../../core/platform.js';
import { createApiApp } from './app.js';
import { createApiModules } from './compose.js';
import { buildOpenApiDocument } from './openapi/document.js';
import { listen, type HttpServer } from './server.js';

export interface RunningApi {
  http: HttpServer;
  stop(): Promise<void>;
}

/** Builds the API's areas on the platform's clients and listens on the configured port. */
export async function startApi(platform: Platform, { port = platform.config.api.port } = {}): Promise<RunningApi> {
  const modules = await createApiModules(platform);
  let openapi: object | undefined;
  const app = createApiApp({
    config: platform.config.api,
    logger: platform.logger,
    metrics: platform.metrics,
    checkReadiness: () => platform.checkReadiness(),
    routers: modules.flatMap((module) => module.routers ?? []),
    publicRouters: modules.flatMap((module) => module.publicRouters ?? []),
    openapi: () =>
      (openapi ??= buildOpenApiDocument(
        platform.catalog,
        modules.map((module) => module.openapi ?? {}),
      )),
  });
  const http = await listen(app, { host: platform.config.api.host, port });
  platform.logger.info('api listening', { url: http.url });
  return {
    http,
    async stop() {
      await Promise.all(modules.map((module) => module.stop?.()));
      await http.close();
    },
  };
}
