/**
 * React access to the one store and the compute pipeline: a provider at the root and
 * a bound `useApp(selector)` hook, so components subscribe to small slices only.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './store';
import type { Pipeline } from '../compute/pipeline';
import type { CodecContext } from './urlCodec';
import type { GeneratorSpec } from './types';
import type { SessionPersistence } from '../persist/session';
import type { RemoteConsent } from './remoteConsent';

export interface AppServices {
  store: AppStore;
  pipeline: Pipeline;
  codec: CodecContext;
  generators: readonly GeneratorSpec[];
  /** The stored session (src/persist); absent in tests that render without it. */
  persistence?: SessionPersistence;
  /** Writes the address-bar changes the URL sync still holds back (src/state/urlSync.ts); absent in tests without it. */
  flushUrl?: () => void;
  /** Asks before a `?src=` link downloads from another origin (src/state/remoteConsent.ts); absent in tests without it. */
  remoteConsent?: RemoteConsent;
}

const ServicesContext = createContext<AppServices | null>(null);

export function AppProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside <AppProvider>');
  return s;
}

/** Selects a slice of the app state; re-renders only when the selected value changes (Object.is). */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useServices().store, selector);
}
