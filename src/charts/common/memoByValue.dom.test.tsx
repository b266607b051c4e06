// @vitest-environment jsdom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { memoByValue } from './memoChart';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('memoByValue (a chart layer memoised by value)', () => {
  it('skips a render when the props are fresh objects with equal values, and renders when a value changed', async () => {
    let renders = 0;
    const Layer = memoByValue(function Layer({ points }: { points: { x: number; y: number }[] }) {
      renders++;
      return (
        <g>
          {points.map((p) => (
            <circle key={p.x} cx={p.x} cy={p.y} />
          ))}
        </g>
      );
    });
    const host = document.createElement('div');
    const root = createRoot(host);
    // A layout recomputed after another series changed: new arrays and objects, the same numbers.
    const layout = (y: number) => [
      { x: 1, y: 2 },
      { x: 3, y },
    ];
    await act(async () =>
      root.render(
        <svg>
          <Layer points={layout(4)} />
        </svg>,
      ),
    );
    await act(async () =>
      root.render(
        <svg>
          <Layer points={layout(4)} />
        </svg>,
      ),
    );
    expect(renders).toBe(1);
    await act(async () =>
      root.render(
        <svg>
          <Layer points={layout(5)} />
        </svg>,
      ),
    );
    expect(renders).toBe(2);
    expect(host.querySelectorAll('circle')[1].getAttribute('cy')).toBe('5');
    await act(async () => root.unmount());
  });
});
