/** Asking before a `?src=` link downloads from another origin (src/state/remoteConsent.ts). */
import { describe, expect, it } from 'vitest';
import {
  ACCEPTED_ORIGINS_KEY,
  RemoteConsent,
  foreignOriginOf,
  type ConsentStorage,
} from '../../src/state/remoteConsent';

const PAGE = 'https://app.example/explorer/?bits=3';

function memoryStorage(): ConsentStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

describe('foreignOriginOf', () => {
  it('is null for the page origin, relative paths, data: and blob: URLs', () => {
    expect(foreignOriginOf('/data/a.npy', PAGE)).toBeNull();
    expect(foreignOriginOf('a.npy', PAGE)).toBeNull();
    expect(foreignOriginOf('https://app.example/other/a.npy', PAGE)).toBeNull();
    expect(foreignOriginOf('data:application/octet-stream;base64,AAAA', PAGE)).toBeNull();
    expect(foreignOriginOf('blob:https://app.example/1234', PAGE)).toBeNull();
  });

  it('names the other origin, including another port or scheme of the same host', () => {
    expect(foreignOriginOf('https://files.example/a.npy?x=1', PAGE)).toBe('https://files.example');
    expect(foreignOriginOf('https://app.example:8443/a.npy', PAGE)).toBe('https://app.example:8443');
    expect(foreignOriginOf('http://app.example/a.npy', PAGE)).toBe('http://app.example');
    expect(foreignOriginOf('//cdn.example/a.npy', PAGE)).toBe('https://cdn.example');
  });
});

describe('RemoteConsent', () => {
  it('lets same-origin URLs through without a question', async () => {
    const consent = new RemoteConsent(() => PAGE, memoryStorage());
    await expect(consent.ask('/a.npy')).resolves.toBe(true);
    expect(consent.pending()).toBeNull();
  });

  it('asks about another origin, naming it, and remembers an acceptance', async () => {
    const storage = memoryStorage();
    const consent = new RemoteConsent(() => PAGE, storage);
    let changes = 0;
    consent.subscribe(() => changes++);
    const answer = consent.ask('https://files.example/a.npy');
    expect(consent.pending()).toEqual({ url: 'https://files.example/a.npy', origin: 'https://files.example' });
    consent.answer(true);
    await expect(answer).resolves.toBe(true);
    expect(consent.pending()).toBeNull();
    expect(changes).toBe(2);
    expect(JSON.parse(storage.map.get(ACCEPTED_ORIGINS_KEY) ?? '[]')).toEqual(['https://files.example']);
    // A new page with the same storage: no question for that origin, still one for others.
    const later = new RemoteConsent(() => PAGE, storage);
    await expect(later.ask('https://files.example/b.npy')).resolves.toBe(true);
    void later.ask('https://other.example/b.npy');
    expect(later.pending()?.origin).toBe('https://other.example');
  });

  it('does not remember a refusal', async () => {
    const storage = memoryStorage();
    const consent = new RemoteConsent(() => PAGE, storage);
    const answer = consent.ask('https://files.example/a.npy');
    consent.answer(false);
    await expect(answer).resolves.toBe(false);
    expect(storage.map.has(ACCEPTED_ORIGINS_KEY)).toBe(false);
    void consent.ask('https://files.example/a.npy');
    expect(consent.pending()).not.toBeNull();
  });

  it('refuses the open question when a newer one replaces it', async () => {
    const consent = new RemoteConsent(() => PAGE, memoryStorage());
    const first = consent.ask('https://one.example/a.npy');
    void consent.ask('https://two.example/a.npy');
    await expect(first).resolves.toBe(false);
    expect(consent.pending()?.origin).toBe('https://two.example');
  });

  it('asks every time when storage is missing, refuses writes or holds garbage', async () => {
    const broken: ConsentStorage = {
      getItem: () => '{not json',
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    for (const storage of [null, broken]) {
      const consent = new RemoteConsent(() => PAGE, storage);
      const answer = consent.ask('https://files.example/a.npy');
      consent.answer(true);
      await expect(answer).resolves.toBe(true);
      void consent.ask('https://files.example/a.npy');
      expect(consent.pending()).not.toBeNull();
    }
  });
});
