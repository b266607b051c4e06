#!/usr/bin/env python3
"""Quality check against scikit-learn (a target of the README's Benchmarks table): "kmeanspp never worse than
scikit-learn's KMeans (k-means++, same number of restarts)".

For a few generated data sets (written with `bskmq generate`), at bits 1–8,
runs sklearn.cluster.KMeans(n_clusters=2**bits, init='k-means++',
n_init=restarts, random_state=0) on the samples (as float64, reshape(-1, 1))
and compares its MSE with our `kmeanspp` and `optimal` from
`bskmq design FILE --methods kmeanspp,optimal --restarts R` (JSON report), plus
wall times. sklearn's MSE is recomputed in float64 from its centres (nearest
centre per sample), so both sides are measured the same way; inertia_/n is
kept in the JSON too.

A benchmark, not part of `npm test`. Needs Debian's python3-sklearn
(`apt-get install python3-sklearn`; run with /usr/bin/python3). BLAS/OpenMP
threads are limited to one so the comparison is one core against one core.

Usage: /usr/bin/python3 bench/sklearn_compare.py [--n 100000] [--generators a,b]
       [--bits 1-8] [--restarts 4] [--max-samples N]
Writes bench/results/sklearn.json and prints a table.
"""
import os

for _var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(_var, '1')

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, 'bin', 'bskmq.mjs')
DEFAULT_GENERATORS = ['relu-gaussian', 'relu6', 'gelu-tail', 'clamped-laplace']


def parse_bits(text):
    if '-' in text:
        lo, hi = (int(v) for v in text.split('-'))
        return list(range(lo, hi + 1))
    return [int(v) for v in text.split(',')]


def run_cli(args):
    t0 = time.perf_counter()
    proc = subprocess.run(['node', BIN, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f'bskmq {args[0]} failed ({proc.returncode}): {proc.stderr.strip()}')
    return proc.stdout, seconds


def nearest_mse(x, centers):
    """MSE of x quantised to its nearest centre, in float64 (ties do not change the error)."""
    c = np.sort(centers.astype(np.float64))
    mids = (c[1:] + c[:-1]) / 2
    codes = np.searchsorted(mids, x, side='right')
    return float(np.mean((x - c[codes]) ** 2))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--n', type=int, default=100_000, help='samples per data set')
    ap.add_argument('--generators', default=','.join(DEFAULT_GENERATORS))
    ap.add_argument('--bits', default='1-8')
    ap.add_argument('--restarts', type=int, default=4, help='our --restarts and sklearn n_init')
    ap.add_argument('--seed', type=int, default=0, help='generator seed')
    ap.add_argument('--max-samples', type=int, default=0,
                    help='subsample for sklearn above this many samples (0: never); ours always sees all')
    ap.add_argument('--tol', type=float, default=1e-4, help="sklearn's tol (its default 1e-4; 0 runs Lloyd to a fixed point)")
    ap.add_argument('--max-iter', type=int, default=300, help="sklearn's max_iter (its default 300)")
    ap.add_argument('--out', default=os.path.join(ROOT, 'bench', 'results', 'sklearn.json'))
    args = ap.parse_args()
    bits_list = parse_bits(args.bits)
    load_start = os.getloadavg()[0]
    rows = []
    datasets = []
    with tempfile.TemporaryDirectory(prefix='bskmq-sklearn-') as tmp:
        for gen in args.generators.split(','):
            path = os.path.join(tmp, f'{gen}.npy')
            run_cli(['generate', gen, '--n', str(args.n), '--seed', str(args.seed), '-o', path])
            samples = np.load(path).astype(np.float64).ravel()
            samples = samples[np.isfinite(samples)]
            out, cli_seconds = run_cli(['design', path, '--methods', 'kmeanspp,optimal',
                                        '--bits', args.bits, '--restarts', str(args.restarts)])
            report = json.loads(out)
            ours = {(r['method'], r['bits']): r for r in report['results']}
            fit_x = samples
            subsampled = bool(args.max_samples) and samples.size > args.max_samples
            if subsampled:
                rng = np.random.default_rng(0)
                fit_x = rng.choice(samples, size=args.max_samples, replace=False)
            datasets.append({'generator': gen, 'samples': int(samples.size), 'distinct': int(np.unique(samples).size),
                             'pointSet': report['pointSet'], 'cliSeconds': cli_seconds,
                             'sklearnSamples': int(fit_x.size), 'subsampled': subsampled})
            for bits in bits_list:
                k = 2 ** bits
                km = KMeans(n_clusters=k, init='k-means++', n_init=args.restarts, random_state=0,
                            tol=args.tol, max_iter=args.max_iter)
                t0 = time.perf_counter()
                with warnings.catch_warnings():
                    # Fewer distinct values than k (not the case here at n ≥ 1e4) only warns.
                    warnings.simplefilter('ignore', ConvergenceWarning)
                    km.fit(fit_x.reshape(-1, 1))
                sk_seconds = time.perf_counter() - t0
                sk_mse = nearest_mse(samples, km.cluster_centers_.ravel())
                pp, opt = ours[('kmeanspp', bits)], ours[('optimal', bits)]
                rows.append({
                    'generator': gen, 'bits': bits, 'k': k,
                    'sklearnMse': sk_mse, 'sklearnInertiaPerSample': float(km.inertia_) / fit_x.size,
                    'sklearnIterations': int(km.n_iter_), 'sklearnSeconds': sk_seconds,
                    'kmeansppMse': pp['mse'], 'kmeansppSeconds': pp['seconds'],
                    'optimalMse': opt['mse'], 'optimalSeconds': opt['seconds'],
                    'kmeansppVsSklearnPct': 100 * (pp['mse'] / sk_mse - 1),
                    'kmeansppVsOptimalPct': 100 * (pp['mse'] / opt['mse'] - 1) if opt['mse'] else None,
                    'sklearnVsOptimalPct': 100 * (sk_mse / opt['mse'] - 1) if opt['mse'] else None,
                })
    result = {
        'date': datetime.now(timezone.utc).isoformat(),
        'machine': {'cpus': os.cpu_count(), 'loadAverage1m': {'start': load_start, 'end': os.getloadavg()[0]}},
        'sklearn': {'version': sklearn.__version__, 'numpy': np.__version__, 'threads': os.environ['OMP_NUM_THREADS'],
                    'settings': f"KMeans(init='k-means++', n_init={args.restarts}, random_state=0, tol={args.tol}, "
                                f"max_iter={args.max_iter}), other defaults"},
        'ours': {'command': f'bskmq design FILE --methods kmeanspp,optimal --bits {args.bits} '
                            f'--restarts {args.restarts}'},
        'n': args.n, 'seed': args.seed, 'datasets': datasets, 'rows': rows,
        'worseThanSklearn': [r for r in rows if r['kmeansppVsSklearnPct'] > 0],
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=2)
        f.write('\n')
    print_table(result)
    print(f'\nwrote {args.out}')


def print_table(result):
    load = result['machine']['loadAverage1m']
    print(f"kmeanspp vs scikit-learn {result['sklearn']['version']} KMeans — n = {result['n']}, "
          f"load {load['start']:.2f} → {load['end']:.2f}, sklearn threads {result['sklearn']['threads']}")
    print(f"  sklearn: {result['sklearn']['settings']}")
    for d in result['datasets']:
        sub = f", sklearn on a subsample of {d['sklearnSamples']}" if d['subsampled'] else ''
        print(f"  {d['generator']}: {d['samples']} samples, {d['distinct']} distinct, "
              f"{d['pointSet']['mode']} point set of {d['pointSet']['points']}{sub}; CLI {d['cliSeconds']:.2f} s")
    head = (f"{'generator':<16}{'bits':>4}{'sklearn MSE':>13}{'kmeanspp MSE':>14}{'optimal MSE':>13}"
            f"{'pp/sk−1':>9}{'pp/opt−1':>9}{'sk/opt−1':>9}{'sk s':>8}{'pp s':>8}{'opt s':>8}")
    print('\n' + head)
    for r in result['rows']:
        pct = (lambda v: f'{v:+8.2f}%' if v is not None else '     n/a')
        print(f"{r['generator']:<16}{r['bits']:>4}{r['sklearnMse']:>13.4e}{r['kmeansppMse']:>14.4e}"
              f"{r['optimalMse']:>13.4e}{pct(r['kmeansppVsSklearnPct'])}{pct(r['kmeansppVsOptimalPct'])}"
              f"{pct(r['sklearnVsOptimalPct'])}{r['sklearnSeconds']:>8.2f}{r['kmeansppSeconds']:>8.3f}"
              f"{r['optimalSeconds']:>8.3f}")
    worse = result['worseThanSklearn']
    print(f"\nkmeanspp worse than sklearn in {len(worse)} of {len(result['rows'])} cases"
          + (': ' + ', '.join(f"{r['generator']}@{r['bits']} ({r['kmeansppVsSklearnPct']:+.2f}%)" for r in worse)
             if worse else ''))


if __name__ == '__main__':
    main()
