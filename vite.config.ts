import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The page's Content-Security-Policy. No `unsafe-eval` anywhere (only
 * `wasm-unsafe-eval`, which permits compiling WebAssembly and nothing else).
 * Scripts and workers come from the app's own origin only; `connect-src` allows any
 * http(s) origin because `?src=<url>` downloads a remote file (CORS still applies);
 * no inline styles either (React sets `style` props through the CSSOM, which CSP allows).
 * The dev server additionally needs an inline module script (React Fast Refresh
 * preamble), injected styles and a websocket for hot reload, so it gets a looser policy
 * (still without `unsafe-eval`). The built app was checked in Chromium under this policy.
 */
function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets the workers compile the Lloyd kernel (src/core/wasm); it allows WebAssembly
    // compilation only, never eval of JavaScript. Without it the kernel falls back to TypeScript.
    dev ? "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'" : "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws: wss: http: https: blob: data:" : "connect-src 'self' http: https: blob: data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join('; ');
}

function cspPlugin(): Plugin {
  let dev = false;
  return {
    name: 'bskmq-csp',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    transformIndexHtml() {
      return [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy(dev) },
          injectTo: 'head-prepend',
        },
      ];
    },
  };
}

export default defineConfig({
  plugins: [react(), cspPlugin()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false },
});
