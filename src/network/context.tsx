/** React access to the network controller and its store. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { NetworkController, NetworkState } from './controller';

const NetworkContext = createContext<NetworkController | null>(null);

export function NetworkProvider({ controller, children }: { controller: NetworkController; children: ReactNode }) {
  return <NetworkContext.Provider value={controller}>{children}</NetworkContext.Provider>;
}

export function useNetworkController(): NetworkController {
  const c = useContext(NetworkContext);
  if (!c) throw new Error('useNetworkController outside <NetworkProvider>');
  return c;
}

export function useNetwork<T>(selector: (s: NetworkState) => T): T {
  return useStore(useNetworkController().store, selector);
}
