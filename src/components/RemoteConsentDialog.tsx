/**
 * The question before a `?src=` link downloads from another site: names the origin the
 * data would come from and the full URL; "Download" fetches (and remembers the origin),
 * "Don't download" keeps the data already shown.
 */
import { useSyncExternalStore } from 'react';
import { useServices } from '../state/context';

export function RemoteConsentDialog() {
  const consent = useServices().remoteConsent;
  const ask = useSyncExternalStore(consent?.subscribe ?? (() => () => {}), consent?.pending ?? (() => null));
  if (!consent || !ask) return null;
  return (
    <div
      className="remote-consent"
      role="alertdialog"
      aria-labelledby="remote-consent-title"
      data-testid="remote-consent"
    >
      <p id="remote-consent-title" className="remote-consent-title">
        This link loads its data from another site: <strong data-testid="remote-consent.origin">{ask.origin}</strong>
      </p>
      <p className="remote-consent-url">
        File: <span className="mono">{ask.url}</span>
      </p>
      <p className="remote-consent-note">
        Downloading sends a request to that site (it sees your IP address). The file is only read as numbers, never run.
        If you accept, links from {ask.origin} load without asking again in this browser.
      </p>
      <div className="remote-consent-actions">
        <button type="button" data-testid="remote-consent.accept" onClick={() => consent.answer(true)}>
          Download from {ask.origin}
        </button>
        <button type="button" data-testid="remote-consent.decline" onClick={() => consent.answer(false)}>
          Don’t download
        </button>
      </div>
    </div>
  );
}
