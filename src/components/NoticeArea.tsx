/** The notice area (`data-testid="notice"`): errors and warnings in words, each dismissible. */
import { useApp, useServices } from '../state/context';

export function NoticeArea() {
  const { store } = useServices();
  const notices = useApp((s) => s.notices);
  return (
    <div className="notices" data-testid="notice" role="status" aria-live="polite" hidden={notices.length === 0}>
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.level}`} data-level={n.level}>
          <span className="notice-text">{n.text}</span>
          <button
            type="button"
            className="dismiss"
            aria-label="Dismiss this message"
            onClick={() => store.getState().dismissNotice(n.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
