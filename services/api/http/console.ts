import express, { type Response, type Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../../../core/paths.js';
import { sendError } from './errors.js';

/**
 * The console's Content-Security-Policy: its own bundled scripts and styles, the API of the same
 * origin, nothing inline, nothing from elsewhere, never framed. Event data is rendered as text, and
 * this policy is the second line: an injected `<script>` or `onerror=` would not run.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleOptions {
  /** The built console (`scripts/build-console.ts` writes it). Default `dist/console`. */
  dir?: string;
}

function secure(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/**
 * The web console's static files under `/console/` (same origin as the API, so no CORS). Assets
 * carry a content hash in their names and are cached for a year; `index.html` is revalidated on
 * every load, so a new build shows at once.
 */
export function consoleRoutes({ dir = projectPath('dist', 'console') }: ConsoleOptions = {}): Router {
  const router = express.Router({ strict: true });
  router.use((req, res, next) => {
    secure(res);
    if (req.path === '/' && req.originalUrl.split('?')[0] === '/console') {
      res.redirect(301, '/console/');
      return;
    }
    if (!existsSync(join(dir, 'index.html'))) {
      sendError(res, 'not_found', 'The console is not built: run `npm run build`');
      return;
    }
    next();
  });
  const assets = join(dir, 'assets');
  router.use(
    express.static(dir, {
      index: 'index.html',
      dotfiles: 'ignore',
      redirect: false,
      fallthrough: true,
      setHeaders(res, path) {
        res.setHeader('Cache-Control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.use((req, res) => {
    sendError(res, 'not_found', `No console file ${req.path.slice(0, 200)}`);
  });
  return router;
}
