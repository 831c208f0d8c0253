/**
 * Serves the built tab. Hashed files (main.<hash>.js) never change, so they are
 * cached for a year as immutable; index.html is revalidated every time so a new
 * build is picked up at once. Scripts go out pre-compressed (brotli, else gzip)
 * when the browser accepts it: the build writes the .br and .gz files.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

const HASHED = /\.[0-9a-f]{16,}\.(js|css)$/;
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json' };

export function staticTab(dir: string): Router {
  const router = express.Router();
  const exists = new Map<string, boolean>();
  const has = (file: string) => {
    let v = exists.get(file);
    if (v === undefined) {
      v = fs.existsSync(file);
      exists.set(file, v);
    }
    return v;
  };
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const rel = req.path === '/' ? '/index.html' : req.path;
    const file = path.join(dir, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(dir) || !has(file)) return next();
    const ext = path.extname(file);
    const accept = String(req.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accept) && has(`${file}.br`) ? 'br' : /\bgzip\b/.test(accept) && has(`${file}.gz`) ? 'gzip' : undefined;
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (TYPES[ext]) res.setHeader('Content-Type', TYPES[ext]);
    if (encoding) res.setHeader('Content-Encoding', encoding);
    res.sendFile(encoding ? `${file}.${encoding === 'br' ? 'br' : 'gz'}` : file, { headers: {}, cacheControl: false, lastModified: true, etag: true }, (err) => {
      if (err) next(err);
    });
  });
  return router;
}
