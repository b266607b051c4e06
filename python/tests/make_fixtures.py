"""Writes the summary-file fixtures of the TypeScript tests (test/fixtures/summary/).

    /usr/bin/python3 python/tests/make_fixtures.py
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bskmq_torch import save_summaries, summarize  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "summary")


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(0)
    relu6 = torch.clamp(torch.relu(torch.randn(4000, generator=g) * 2.5), max=6.0)
    gelu = torch.nn.functional.gelu(torch.randn(3000, generator=g) * 2)
    tanh = torch.tanh(torch.randn(2000, generator=g))
    tanh[:3] = torch.tensor([float("nan"), float("inf"), -float("inf")])
    layers = {"features.1": relu6, "block.gelu": gelu, "head.tanh": tanh}
    save_summaries({k: summarize(v) for k, v in layers.items()}, os.path.join(OUT, "layers.npz"))
    np.savez(os.path.join(OUT, "layers-raw.npz"), **{k: v.numpy() for k, v in layers.items()})

    # 2^30 samples: a million ReLU samples on a coarse grid, merged with itself ten times.
    base = torch.round(torch.relu(torch.randn(1 << 20, generator=g)) * 16) / 16
    s = summarize(base)
    for _ in range(10):
        s = s.copy().merge(s)
    save_summaries({"relu": s}, os.path.join(OUT, "billion.npz"))
    with open(os.path.join(OUT, "billion.json"), "w") as f:
        json.dump({"count": s.count, "mean": s.moments()[0], "std": s.moments()[1], "zeros": s.zeros}, f)

    # The same file with version 2 in its description.
    z = dict(np.load(os.path.join(OUT, "layers.npz")))
    doc = json.loads(bytes(z["bskmq_summary"]).decode())
    doc["version"] = 2
    z["bskmq_summary"] = np.frombuffer(json.dumps(doc).encode(), dtype=np.uint8)
    np.savez_compressed(os.path.join(OUT, "version2.npz"), **z)


if __name__ == "__main__":
    main()
