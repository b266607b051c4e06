/**
 * The first-visit line: what the page is and what to do first. Dismissed once, it stays
 * dismissed (a flag in localStorage); where storage is blocked it simply shows again.
 */
import { useState } from 'react';

export const INTRO_STORAGE_KEY = 'bskmq.intro.dismissed';

function dismissedBefore(): boolean {
  try {
    return window.localStorage.getItem(INTRO_STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

export function Intro() {
  const [hidden, setHidden] = useState(dismissedBefore);
  if (hidden) return null;
  const dismiss = () => {
    setHidden(true);
    try {
      window.localStorage.setItem(INTRO_STORAGE_KEY, '1');
    } catch {
      // Storage blocked: dismissed for this visit only.
    }
  };
  return (
    <div className="intro" role="note" data-testid="intro">
      <p>
        <strong>Design the reference levels of an ADC that digitizes neural-network activations</strong>, and compare
        BS-KMQ with linear, CDF, Lloyd-Max, K-means and the exact optimum. Start on the left: keep the sample data or
        open your own activations (.npy, .npz, .pt, .safetensors, text), then move <em>Bits</em> and read the histogram,
        the error-vs-bits chart and the metrics table. Everything stays in your browser.
      </p>
      <button type="button" className="intro-dismiss" data-testid="intro.dismiss" onClick={dismiss}>
        Got it
      </button>
    </div>
  );
}
