"""The network benchmark's large model: a seeded, untrained CNN of about 10 MB exported to ONNX, and 256 inputs.

  /usr/bin/python3 bench/network_model.py DIR
      writes DIR/large.onnx (opset 13, dynamic batch) and DIR/large.npz (x float32 [256, 1, 28, 28], y int64)
"""
import sys

import numpy as np
import torch
from torch import nn


def main(out):
    torch.manual_seed(0)
    # conv 1->32 and 32->64 (3x3), 2x2 pool, then a 9216 x 272 fully connected layer: 2.5 M weights, about 10 MB.
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(64 * 12 * 12, 272), nn.ReLU(), nn.Linear(272, 10)).eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), f'{out}/large.onnx', opset_version=13, input_names=['x'],
                      output_names=['logits'], dynamic_axes={'x': {0: 'batch'}, 'logits': {0: 'batch'}})
    rng = np.random.default_rng(1)
    x = rng.random((256, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 256).astype(np.int64)
    np.savez(f'{out}/large.npz', x=x, y=y)


if __name__ == '__main__':
    main(sys.argv[1])
