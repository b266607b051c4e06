/**
 * The page: controls on the left, charts on the right, the metrics table below.
 */
import { useEffect, type CSSProperties, type ReactNode } from 'react';
import { useElementHeight } from './components/useElementHeight';
import { useApp } from './state/context';
import { Header } from './components/Header';
import { NoticeArea } from './components/NoticeArea';
import { DataPanel } from './components/DataPanel';
import { Controls } from './components/Controls';
import { StatsStrip } from './components/StatsStrip';
import { ChartsPanel } from './components/ChartsPanel';
import { MetricsTable } from './components/MetricsTable';
import { AdcPanel } from './components/AdcPanel';
import { ExportMenu } from './components/ExportMenu';
import { LayersPanel } from './components/LayersPanel';
import { DropZone } from './components/DropZone';
import { StepThrough } from './components/StepThrough';
import { NetworkPanel } from './components/NetworkPanel';
import { PanelBoundary } from './components/PanelBoundary';
import { RemoteConsentDialog } from './components/RemoteConsentDialog';
import { Intro } from './components/Intro';
import { presentationOf } from './state/urlCodec';
import type { Theme } from './state/types';
import { STAGE_ORDER } from './compute/stages';

function useThemeAttribute(theme: Theme): void {
  useEffect(() => {
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    const apply = () => {
      const resolved = theme === 'auto' ? (media?.matches ? 'dark' : 'light') : theme;
      document.documentElement.dataset.theme = resolved;
    };
    apply();
    if (theme !== 'auto' || !media) return;
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

/**
 * The root element with the test and benchmark hooks: `data-state` is the data status, or
 * `busy`/`ready` once data is loaded; `data-busy` lists the stages still computing (e.g. "report sweep").
 * Only this element re-renders when a stage starts or ends: the page inside it comes in as
 * `children`, elements made once by App, so React skips them (several busy toggles per slider change).
 */
function StatusRoot({ className, children }: { className: string; children: ReactNode }) {
  const busyStages = useApp((s) => STAGE_ORDER.filter((k) => s.results.busy[k]).join(' '));
  const dataStatus = useApp((s) => s.data.status);
  const state = dataStatus !== 'ready' ? dataStatus : busyStages ? 'busy' : 'ready';
  return (
    <div className={className} data-state={state} data-busy={busyStages}>
      {children}
    </div>
  );
}

/**
 * The left column, with no scroll area of its own: it scrolls with the page and then stays in
 * view. Taller than the window, it sticks once its bottom is in view (a negative `top` from its
 * measured height), so every setting is reachable by the page's own scroll.
 */
function Sidebar({ children }: { children: ReactNode }) {
  const [ref, height] = useElementHeight<HTMLElement>(0);
  return (
    <aside className="sidebar" ref={ref} style={{ '--sidebar-h': `${height}px` } as CSSProperties}>
      {children}
    </aside>
  );
}

export function App() {
  const theme = useApp((s) => s.display.theme);
  useThemeAttribute(theme);
  if (presentationOf(window.location.search) === 'step') {
    // Presentation mode (a link with present=step): the step-through alone, large, no controls.
    return (
      <StatusRoot className="app present">
        <NoticeArea />
        <RemoteConsentDialog />
        <PanelBoundary name="step-through">
          <StepThrough presentation />
        </PanelBoundary>
      </StatusRoot>
    );
  }
  return (
    <StatusRoot className="app">
      <Header />
      <NoticeArea />
      <RemoteConsentDialog />
      <Intro />
      <div className="layout">
        <Sidebar>
          <PanelBoundary name="data panel">
            <DataPanel />
          </PanelBoundary>
          <PanelBoundary name="controls">
            <Controls />
          </PanelBoundary>
        </Sidebar>
        <main className="main">
          <PanelBoundary name="statistics strip">
            <StatsStrip />
          </PanelBoundary>
          <PanelBoundary name="charts">
            <ChartsPanel />
          </PanelBoundary>
          <PanelBoundary name="metrics table">
            <MetricsTable />
          </PanelBoundary>
          <PanelBoundary name="export menu">
            <ExportMenu />
          </PanelBoundary>
          <PanelBoundary name="ADC view">
            <AdcPanel />
          </PanelBoundary>
          <PanelBoundary name="step-through">
            <StepThrough />
          </PanelBoundary>
          <PanelBoundary name="layers view">
            <LayersPanel />
          </PanelBoundary>
          <PanelBoundary name="network panel">
            <NetworkPanel />
          </PanelBoundary>
        </main>
      </div>
      <DropZone />
    </StatusRoot>
  );
}
