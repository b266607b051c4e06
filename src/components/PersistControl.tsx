/**
 * What this browser remembers of the session, and the "Forget this data" button.
 * The session logic is src/persist/session.ts.
 */
import { useState, useSyncExternalStore } from 'react';
import { useServices } from '../state/context';
import type { PersistStatus, SessionPersistence } from '../persist/session';
import { WithTip } from './fields';

function statusText(s: PersistStatus): string {
  if (s.starting) return 'Looking for a stored session…';
  if (!s.available) return 'Not remembered: this browser does not allow the page to store data here.';
  if (!s.stored) return 'Nothing is stored in this browser.';
  return `Remembered in this browser only: ${s.stored.label}.`;
}

function PersistStatusView({ persistence }: { persistence: SessionPersistence }) {
  const status = useSyncExternalStore(persistence.subscribe, persistence.getStatus);
  const [forgetting, setForgetting] = useState(false);
  const forget = () => {
    setForgetting(true);
    void persistence.forget().finally(() => setForgetting(false));
  };
  return (
    <div className="persist" data-testid="data.persist">
      <p className="hint" data-testid="data.persistStatus">
        {statusText(status)}
      </p>
      <WithTip text="Deletes the data and settings this page keeps in your browser's storage and returns to the default view.">
        {(tip) => (
          <button
            type="button"
            data-testid="data.forget"
            disabled={forgetting || !status.available || status.stored === null}
            aria-describedby={tip}
            onClick={forget}
          >
            Forget this data
          </button>
        )}
      </WithTip>
    </div>
  );
}

export function PersistControl() {
  const { persistence } = useServices();
  return persistence ? <PersistStatusView persistence={persistence} /> : null;
}
