/**
 * Asking before a `?src=` link downloads from another site. A link can name any
 * http(s) URL, so opening one would otherwise make the browser fetch from a host the
 * user never chose. Same-origin URLs (and data:/blob: URLs, which fetch from no host)
 * load without asking; another origin is asked about once, and an accepted origin is
 * remembered in localStorage so its links load directly afterwards. A refusal is not
 * remembered: the next link from that origin asks again.
 */

/** localStorage key of the accepted origins (a JSON array of origin strings). */
export const ACCEPTED_ORIGINS_KEY = 'bskmq.remoteOrigins';

/** At most this many origins are remembered (oldest dropped), so the entry stays small. */
const MAX_REMEMBERED = 50;

/** The part of localStorage used here (structural, so tests pass a fake). */
export interface ConsentStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** What the page is asking about: the full URL and the origin it would download from. */
export interface RemoteAsk {
  url: string;
  origin: string;
}

/**
 * The origin `url` (resolved against the page's `pageUrl`) would be downloaded from,
 * when that is another http(s) origin than the page's; null when no question is needed
 * (same origin, data:, blob:, or a URL that does not parse: the fetch reports that).
 */
export function foreignOriginOf(url: string, pageUrl: string): string | null {
  let target: URL;
  let page: URL;
  try {
    page = new URL(pageUrl);
    target = new URL(url, page);
  } catch {
    return null;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return null;
  return target.origin === page.origin ? null : target.origin;
}

/** The question and its answer: the dialog renders `pending`, the pipeline awaits `ask`. */
export class RemoteConsent {
  private current: { ask: RemoteAsk; resolve: (ok: boolean) => void } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly pageUrl: () => string,
    private readonly storage: ConsentStorage | null,
  ) {}

  /** The open question, or null. */
  pending = (): RemoteAsk | null => this.current?.ask ?? null;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Whether the user already accepted downloads from `origin`. */
  accepted(origin: string): boolean {
    return this.remembered().includes(origin);
  }

  /**
   * Resolves true when `url` may be fetched: at once for the page's own origin or an
   * accepted one, else when the user answers. A newer question replaces an open one,
   * which then resolves false.
   */
  ask(url: string): Promise<boolean> {
    const origin = foreignOriginOf(url, this.pageUrl());
    if (origin === null || this.accepted(origin)) return Promise.resolve(true);
    this.current?.resolve(false);
    return new Promise<boolean>((resolve) => {
      this.current = { ask: { url, origin }, resolve };
      this.emit();
    });
  }

  /** The user's answer to the open question; accepting remembers its origin. */
  answer(ok: boolean): void {
    const open = this.current;
    if (!open) return;
    this.current = null;
    if (ok) this.remember(open.ask.origin);
    open.resolve(ok);
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private remembered(): string[] {
    try {
      const raw = this.storage?.getItem(ACCEPTED_ORIGINS_KEY);
      const list: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list.filter((o): o is string => typeof o === 'string') : [];
    } catch {
      // Storage refused or holds something else: nothing is remembered, so the user is asked.
      return [];
    }
  }

  private remember(origin: string): void {
    const list = [...this.remembered().filter((o) => o !== origin), origin].slice(-MAX_REMEMBERED);
    try {
      this.storage?.setItem(ACCEPTED_ORIGINS_KEY, JSON.stringify(list));
    } catch {
      // Not remembered (private mode, quota): the next link from there asks again.
    }
  }
}
