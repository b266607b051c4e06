/** The statistics strip: n, non-finite count, min, max, mean, std, spike shares at L and U. */
import { useTip } from './fields';
import { useApp } from '../state/context';
import { formatCount, formatShare, formatValue } from './format';

export function StatsStrip() {
  // The report's input follows the boundaries L and U (spike shares); the load's until it arrives.
  const input = useApp((s) => s.results.report?.input ?? s.data.input);
  const pointSet = useApp((s) => s.data.pointSet);
  // An activation summary holds bins, not samples: say so, and of how many samples.
  const summary = useApp((s) => s.data.format === 'bskmq-summary');
  const items: [string, string, string][] = input
    ? [
        ['n', formatCount(input.count - input.nonFinite), 'Finite samples'],
        ['non-finite', formatCount(input.nonFinite), 'NaN and ±Inf samples, excluded from every computation'],
        ['min', formatValue(input.min, 5), 'Smallest finite sample'],
        ['max', formatValue(input.max, 5), 'Largest finite sample'],
        ['mean', formatValue(input.mean, 4), 'Mean of the finite samples'],
        ['std', formatValue(input.std, 4), 'Standard deviation of the finite samples'],
        ['spike at L', formatShare(input.spikeLow, 2), 'Share of samples exactly at the minimum (e.g. ReLU zeros)'],
        [
          'spike at U',
          formatShare(input.spikeHigh, 2),
          'Share of samples exactly at the maximum (e.g. the clamp value)',
        ],
        [
          'point set',
          pointSet ? `${pointSet.mode}, ${formatCount(pointSet.points)} pts` : '—',
          'Exact: every distinct value; binned: a fine histogram (results exact for bin-aligned thresholds)',
        ],
        ...(summary
          ? [
              [
                'source',
                `summary of ${formatCount(input.count)} samples`,
                'An activation summary file (bskmq_torch): fixed-size bins of every sample the recorder saw, not the samples',
              ] as [string, string, string],
            ]
          : []),
      ]
    : [];
  return (
    <dl className="stats" data-testid="data.stats" aria-label="Input statistics">
      {items.length === 0 ? (
        <div className="stat">
          <dt>data</dt>
          <dd>not loaded</dd>
        </div>
      ) : (
        items.map(([k, v, help]) => <Stat key={k} name={k} value={v} help={help} />)
      )}
    </dl>
  );
}

/** One statistic; focusable, so its tooltip shows by keyboard too. */
function Stat(props: { name: string; value: string; help: string }) {
  const tip = useTip(props.help);
  return (
    <div className="stat tip-host tip-focus" tabIndex={0} aria-describedby={tip.id}>
      <dt>{props.name}</dt>
      <dd>{props.value}</dd>
      {tip.node}
    </div>
  );
}
