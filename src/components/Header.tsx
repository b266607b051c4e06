/** The top bar: title, links to the page's sections, a busy indicator, the copy-link button and the theme toggle. */
import { useState } from 'react';
import { useApp, useServices } from '../state/context';
import { anyStageBusy } from '../state/store';
import type { Theme } from '../state/types';
import { WithTip } from './fields';

const NEXT_THEME: Record<Theme, Theme> = { auto: 'dark', dark: 'light', light: 'auto' };
/** In-page links to the sections below the charts (ids set by the panels); Layers only for multi-tensor files. */
const SECTIONS = [
  { id: 'levels', label: 'Levels' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'adc', label: 'ADC' },
  { id: 'step-through', label: 'Step-through' },
  { id: 'layers', label: 'Layers' },
] as const;
const THEME_LABEL: Record<Theme, string> = { auto: 'Theme: system', dark: 'Theme: dark', light: 'Theme: light' };

export function Header() {
  const { store, flushUrl } = useServices();
  const theme = useApp((s) => s.display.theme);
  const busy = useApp((s) => anyStageBusy(s) || s.data.status === 'loading');
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const hasLayers = useApp((s) => s.data.tensors.length >= 2);

  const copy = async () => {
    // The address bar follows a change once the views are drawn: a copy right after one takes it too.
    flushUrl?.();
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      setCopied('done');
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): show the link instead.
      setCopied('failed');
      store.getState().notify('info', `Link to this view: ${url}`);
    }
    setTimeout(() => setCopied('idle'), 2000);
  };

  return (
    <header className="topbar">
      <h1>
        BS-KMQ Explorer <span className="muted">nonlinear ADC levels</span>
      </h1>
      <nav className="section-nav" aria-label="Sections of this page" data-testid="nav.sections">
        {SECTIONS.filter((s) => s.id !== 'layers' || hasLayers).map((s, i) => (
          <span key={s.id}>
            {i > 0 && (
              <span className="muted" aria-hidden="true">
                {' '}
                ·{' '}
              </span>
            )}
            <a href={`#${s.id}`}>{s.label}</a>
          </span>
        ))}
      </nav>
      <span className={busy ? 'busy on' : 'busy'} role="status" aria-live="polite" data-testid="busy">
        {busy ? 'computing…' : ''}
      </span>
      <div className="topbar-actions">
        <WithTip text="Copy a link that reproduces this view exactly">
          {(tip) => (
            <button aria-describedby={tip} type="button" data-testid="share.copy" onClick={() => void copy()}>
              {copied === 'done' ? 'Link copied' : 'Copy link'}
            </button>
          )}
        </WithTip>
        <WithTip text="Switch between the system, dark and light themes">
          {(tip) => (
            <button
              aria-describedby={tip}
              type="button"
              data-testid="display.theme"
              onClick={() => store.getState().setDisplay({ theme: NEXT_THEME[theme] })}
            >
              {THEME_LABEL[theme]}
            </button>
          )}
        </WithTip>
      </div>
    </header>
  );
}
