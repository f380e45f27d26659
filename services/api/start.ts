import type { Platform } from '../../core/platform.js';
import { createApiApp } from './app.js';
import { createApiModules } from './compose.js';
import { pathsOf, routerOf } from './http/route.js';
import { buildOpenApiDocument, mergePaths } from './openapi/document.js';
import { listen, type HttpServer } from './server.js';

export interface RunningApi {
  http: HttpServer;
  stop(): Promise<void>;
}

/** Builds the API's areas on the platform's clients and listens on the configured port. */
export async function startApi(platform: Platform, { port = platform.config.api.port } = {}): Promise<RunningApi> {
  const modules = await createApiModules(platform);
  const paths = mergePaths(
    modules.map((module) =>
      mergePaths([pathsOf([...(module.publicRoutes ?? []), ...(module.routes ?? [])]), module.openapi ?? {}]),
    ),
  );
  let openapi: object | undefined;
  const app = createApiApp({
    config: platform.config.api,
    logger: platform.logger,
    metrics: platform.metrics,
    checkReadiness: () => platform.checkReadiness(),
    routers: modules.flatMap((module) => [
      ...(module.routes?.length ? [routerOf(module.routes)] : []),
      ...(module.routers ?? []),
    ]),
    publicRouters: modules.flatMap((module) => [
      ...(module.publicRoutes?.length ? [routerOf(module.publicRoutes)] : []),
      ...(module.publicRouters ?? []),
    ]),
    paths,
    openapi: () => (openapi ??= buildOpenApiDocument(platform.catalog, paths)),
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
