"""Recording overhead, summary file size, merge time and ptq wall time of bskmq_torch.

    /usr/bin/python3 bench/torch_bench.py      (npm run bench runs it)

Writes bench/results/torch.json.
"""
import json
import os
import statistics
import sys
import tempfile
import time

import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
from bskmq_torch import Recorder, Summary, save_summaries, summarize  # noqa: E402
from bskmq_torch.examples import digits  # noqa: E402


def best(f, repeat=5):
    f()
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return min(ts)


def loadavg():
    return open("/proc/loadavg").read().split()[:3]


def overhead(model, batches, repeat=9):
    """Plain vs recorded forward passes, interleaved, median of `repeat` (wall and CPU seconds).

    The recorded time includes rec.summaries(), which waits for every pending summary step, so
    deferred or background work is counted. Both run at the same torch.get_num_threads().
    """

    def plain():
        with torch.no_grad():
            for b in batches:
                model(b)

    def recorded(background):
        with torch.no_grad(), Recorder(model, background=background) as rec:
            for b in batches:
                model(b)
            rec.summaries()

    runs = {"plain": plain, "sync": lambda: recorded(False), "background": lambda: recorded(True)}
    wall = {k: [] for k in runs}
    cpu = {k: [] for k in runs}
    for f in runs.values():
        f()
    load = loadavg()
    for _ in range(repeat):
        for k, f in runs.items():
            t, c = time.perf_counter(), time.process_time()
            f()
            wall[k].append(time.perf_counter() - t)
            cpu[k].append(time.process_time() - c)
    med = lambda xs: statistics.median(xs)  # noqa: E731
    out = {"loadavg": load, "loadavgAfter": loadavg(), "repeats": repeat}
    for k in runs:
        out[f"{k}WallSeconds"] = med(wall[k])
        out[f"{k}CpuSeconds"] = med(cpu[k])
    for k in ("sync", "background"):
        out[f"{k}WallRatio"] = out[f"{k}WallSeconds"] / out["plainWallSeconds"]
        out[f"{k}CpuRatio"] = out[f"{k}CpuSeconds"] / out["plainCpuSeconds"]
    return out


class ConvNet(nn.Module):
    """Two 3×3 convolutions with 1 M-element activations per batch (16 × 16 × 64 × 64)."""

    def __init__(self, ch):
        super().__init__()
        self.c1 = nn.Conv2d(3, ch, 3, padding=1)
        self.a1 = nn.ReLU()
        self.c2 = nn.Conv2d(ch, ch, 3, padding=1)
        self.a2 = nn.ReLU6()

    def forward(self, x):
        return self.a2(self.c2(self.a1(self.c1(x))))


def main():
    torch.manual_seed(0)
    out = {"loadavg": loadavg(), "threads": torch.get_num_threads(), "cpus": len(os.sched_getaffinity(0))}
    xtr, ytr, calib, xte, yte = digits.load_data()
    model = digits.train(xtr, ytr)
    out["digitsRecording"] = overhead(model, digits.batches(calib))
    for ch in (16, 64):
        net = ConvNet(ch).eval()
        n = 1048576 // (ch * 64 * 64)
        bs = [torch.randn(n, 3, 64, 64) for _ in range(4)]
        out[f"conv{ch}Recording"] = dict(overhead(net, bs), elementsPerActivation=n * ch * 64 * 64)
    x = torch.relu(torch.randn(1 << 20))
    out["summarize1MSeconds"] = best(lambda: summarize(x))
    a, b = summarize(x), summarize(torch.relu(torch.randn(1 << 20)) * 2)
    out["mergeSeconds"] = best(lambda: a.copy().merge(b))
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "s.npz")
        with torch.no_grad(), Recorder(model) as rec:
            for bt in digits.batches(calib):
                model(bt)
        rec.save(p)
        out["digitsSummaryFileBytes"] = os.path.getsize(p)
        out["digitsLayers"] = len(rec.summaries())
        p1 = os.path.join(tmp, "one.npz")
        save_summaries({"relu": a}, p1)
        out["fileBytesPerLayer1MRelu"] = os.path.getsize(p1)
        t = time.perf_counter()
        digits.main(["--out", tmp])
        out["digitsExampleSeconds"] = time.perf_counter() - t
    out["loadavgAfter"] = loadavg()
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", "torch.json"), "w") as f:
        json.dump(out, f, indent=2)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
