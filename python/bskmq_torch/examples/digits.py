"""A real loop on scikit-learn's bundled handwritten digits (no download).

Trains a small CNN (seeded, a few seconds on CPU), records its activations over a calibration set,
writes the summary file, runs ptq for every method at 1–4 bits and prints the table.

    /usr/bin/python3 -m bskmq_torch.examples.digits [--out DIR] [--world-size 2]

`--world-size 2` records in two processes (gloo on 127.0.0.1), each on half of the calibration
batches, merged with Recorder.all_reduce: the summary file is the same as one process writes.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn

from .. import Recorder, load_summaries, ptq_from_summaries
from ..ptq import METHODS

SEED = 0
BATCH = 64


class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.act1 = nn.ReLU()
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.act2 = nn.ReLU6()
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(32 * 4 * 4, 64)
        self.act3 = nn.ReLU()
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = self.act1(self.conv1(x))
        x = self.pool(self.act2(self.conv2(x)))
        x = self.act3(self.fc1(x.flatten(1)))
        return self.fc2(x)


def load_data():
    """(train x, train y, calibration x, test x, test y): digits scaled to 0–1, a seeded 80/20 split."""
    from sklearn.datasets import load_digits

    d = load_digits()
    x = torch.tensor(d.images, dtype=torch.float32).unsqueeze(1) / 16.0
    y = torch.tensor(d.target, dtype=torch.int64)
    g = torch.Generator().manual_seed(SEED)
    perm = torch.randperm(len(x), generator=g)
    cut = int(0.8 * len(x))
    tr, te = perm[:cut], perm[cut:]
    return x[tr], y[tr], x[tr[:512]], x[te], y[te]


def train(xtr, ytr, epochs: int = 12) -> DigitsCNN:
    torch.manual_seed(SEED)
    model = DigitsCNN()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(SEED)
    for _ in range(epochs):
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), BATCH):
            idx = perm[i : i + BATCH]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
    model.eval()
    return model


def batches(x, rank: int = 0, world: int = 1):
    """The calibration batches of one rank: every world-th batch, starting at its rank."""
    all_b = list(torch.split(x, BATCH))
    return all_b[rank::world]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _record_rank(rank: int, world: int, port: int, state_path: str, calib_path: str, out: str) -> None:
    import torch.distributed as dist

    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    try:
        model = DigitsCNN()
        model.load_state_dict(torch.load(state_path))
        model.eval()
        calib = torch.load(calib_path)
        with torch.no_grad(), Recorder(model) as rec:
            for b in batches(calib, rank, world):
                model(b)
        rec.all_reduce()
        if rank == 0:
            rec.save(out)
        dist.barrier()
    finally:
        dist.destroy_process_group()


def record_summary(model: DigitsCNN, calib: torch.Tensor, out: str, world_size: int = 1) -> str:
    """Writes the summary file of the calibration set's activations, in `world_size` processes."""
    if world_size == 1:
        with torch.no_grad(), Recorder(model) as rec:
            for b in batches(calib):
                model(b)
        return rec.save(out)
    import torch.multiprocessing as mp

    with tempfile.TemporaryDirectory() as tmp:
        state, cal = os.path.join(tmp, "model.pt"), os.path.join(tmp, "calib.pt")
        torch.save(model.state_dict(), state)
        torch.save(calib, cal)
        mp.spawn(_record_rank, args=(world_size, free_port(), state, cal, out), nprocs=world_size, join=True)
    return out


def accuracy(model, x, y) -> float:
    with torch.no_grad():
        return float((model(x).argmax(1) == y).float().mean())


def format_table(table: dict) -> str:
    bits = sorted({r["bits"] for r in table["results"]})
    lines = [f"float accuracy {table['floatAccuracy']:.4f} ({table['samples']['evaluation']} test digits)"]
    lines.append("method    " + "".join(f"{b:>8d} b" for b in bits))
    methods = list(dict.fromkeys(r["method"] for r in table["results"]))
    for m in methods:
        row = {r["bits"]: r["accuracy"] for r in table["results"] if r["method"] == m}
        lines.append(f"{m:<10s}" + "".join(f"{row[b]:>10.4f}" for b in bits))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bskmq_torch.examples.digits", description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="digits-out", help="directory for the summary file and the PTQ table")
    ap.add_argument("--world-size", type=int, default=1, help="processes recording the activations (gloo)")
    ap.add_argument("--bits", default="1,2,3,4")
    ap.add_argument("--methods", default=",".join(METHODS))
    args = ap.parse_args(argv)
    if args.world_size < 1:
        ap.error("--world-size must be ≥ 1")
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    t0 = time.perf_counter()
    xtr, ytr, calib, xte, yte = load_data()
    model = train(xtr, ytr)
    t_train = time.perf_counter() - t0
    summary = os.path.join(args.out, "digits-summary.npz")
    t1 = time.perf_counter()
    record_summary(model, calib, summary, args.world_size)
    t_record = time.perf_counter() - t1
    acts = [{"name": n, "shape": list(s.shape[1:])} for n, s in load_summaries(summary).items()]
    t2 = time.perf_counter()
    table = ptq_from_summaries(
        model,
        summary,
        lambda m: accuracy(m, xte, yte),
        methods=args.methods.split(","),
        bits=[int(b) for b in args.bits.split(",")],
        calibration_samples=len(calib),
        evaluation_samples=len(xte),
        labels=True,
        activations=acts,
        path=os.path.join(args.out, "digits-ptq.json"),
    )
    t_ptq = time.perf_counter() - t2
    print(format_table(table))
    print(
        f"summary {summary} ({args.world_size} process{'es' if args.world_size > 1 else ''}); "
        f"table {os.path.join(args.out, 'digits-ptq.json')}; "
        f"train {t_train:.1f} s, record {t_record:.2f} s, ptq {t_ptq:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
