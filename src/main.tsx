/**
 * Entry point: reads the URL into the store, starts the compute pipeline, keeps the
 * URL in step, installs `window.bskmq`, and renders the page.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AppProvider, type AppServices } from './state/context';
import { createAppStore } from './state/store';
import { decodeUrlState, generatorDefaults, networkOf, type CodecContext } from './state/urlCodec';
import { RemoteConsent } from './state/remoteConsent';
import { NetworkController } from './network/controller';
import { NetworkProvider } from './network/context';
import { startUrlSync, type UrlSync } from './state/urlSync';
import { Pipeline } from './compute/pipeline';
import { GENERATOR_SPECS, DEFAULT_GENERATOR } from './compute/generatorCatalog';
import { createConsoleApi, installConsoleApi } from './console';
import { createBrowserSession } from './persist/browserSession';
import './app.css';

const codec: CodecContext = { generators: GENERATOR_SPECS, defaultGenerator: DEFAULT_GENERATOR };
const decoded = decodeUrlState(window.location.search, codec);
const store = createAppStore({ params: decoded.params, source: decoded.source, display: decoded.display });
for (const issue of decoded.issues) store.getState().notify('warning', issue);

// No animations for tests and for people who asked for less motion.
const noAnim =
  new URLSearchParams(window.location.search).get('anim') === '0' ||
  window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
document.documentElement.dataset.anim = noAnim ? 'off' : 'on';

const pipeline = new Pipeline(store);
const remoteConsent = new RemoteConsent(() => window.location.href, storageOrNull());
pipeline.askRemote = (url) => remoteConsent.ask(url);
pipeline.remoteDeclined = (source) => {
  const st = store.getState();
  const from = new URL(source.url, window.location.href).origin;
  if (st.data.dataVersion > 0) {
    st.notify('info', `Not downloaded: ${source.url} (from ${from}). The data already loaded stays.`);
    return;
  }
  // Nothing loaded yet (the page opened on the link): show the default data instead of an empty page.
  st.notify(
    'info',
    `Not downloaded: ${source.url} (from ${from}). Showing the built-in ${DEFAULT_GENERATOR} data instead.`,
  );
  const spec = GENERATOR_SPECS.find((g) => g.name === DEFAULT_GENERATOR);
  if (spec) void pipeline.loadSource({ kind: 'generator', name: spec.name, options: generatorDefaults(spec) });
};
const persistence = createBrowserSession({ store, pipeline, ctx: codec });
const network = new NetworkController(store, pipeline);
installConsoleApi(createConsoleApi(store, pipeline, network));
const linkedNetwork = networkOf(window.location.search);
if (linkedNetwork.issue) store.getState().notify('warning', linkedNetwork.issue);
// A bare URL restores the stored session (src/persist/session.ts has the precedence rules);
// it is read before the URL sync and the first load, so the restored state is the opening state.
let urlSync: UrlSync | null = null;
void persistence
  .restore(window.location.search)
  .catch(() => null)
  .then(() => {
    urlSync = startUrlSync({
      store,
      ctx: codec,
      loadSource: (s) => void pipeline.loadSource(s),
      win: window,
      // After the frame that shows the change: a history write then no longer delays it.
      afterPaint: (write) => requestAnimationFrame(() => setTimeout(write, 0)),
    });
    pipeline.start();
    persistence.start();
    if (linkedNetwork.net) void network.openDemo(linkedNetwork.net);
  });

const services: AppServices = {
  store,
  pipeline,
  codec,
  generators: GENERATOR_SPECS,
  persistence,
  flushUrl: () => urlSync?.flush(),
  remoteConsent,
};
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <AppProvider services={services}>
      <NetworkProvider controller={network}>
        <App />
      </NetworkProvider>
    </AppProvider>
  </StrictMode>,
);

/** localStorage, or null where the browser refuses it (then every foreign origin is asked about). */
function storageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
