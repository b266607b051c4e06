"""Recording overhead, summary file size, merge time and ptq wall time of bskmq_torch.

    /usr/bin/python3 bench/torch_bench.py      (npm run bench runs it)

Writes bench/results/torch.json.
"""
import json
import os
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


def overhead(model, batches):
    def plain():
        with torch.no_grad():
            for b in batches:
                model(b)

    def recorded():
        with torch.no_grad(), Recorder(model):
            for b in batches:
                model(b)

    p, r = best(plain), best(recorded)
    return {"plainSeconds": p, "recordedSeconds": r, "ratio": r / p}


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
    out = {"loadavg": open("/proc/loadavg").read().split()[:3], "threads": torch.get_num_threads()}
    xtr, ytr, calib, xte, yte = digits.load_data()
    model = digits.train(xtr, ytr)
    out["digitsRecording"] = overhead(model, digits.batches(calib))
    for ch in (16, 64):
        net = ConvNet(ch).eval()
        n = 1048576 // (ch * 64 * 64)
        bs = [torch.randn(n, 3, 64, 64) for _ in range(2)]
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
    out["loadavgAfter"] = open("/proc/loadavg").read().split()[:3]
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", "torch.json"), "w") as f:
        json.dump(out, f, indent=2)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
