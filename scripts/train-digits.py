"""Trains the built-in demo network: a small CNN on scikit-learn's bundled handwritten digits.

Seeded and deterministic on CPU; runs in a few seconds. Writes, under public/networks/:
  digits.onnx  the model (torch.onnx.export, opset 13, input "x" [batch, 1, 8, 8], output "logits" [batch, 10])
  digits.npz   the held-out test inputs x (float32 [n, 1, 8, 8]) and their labels y (int64 [n])
The app calibrates on the first half of those inputs and evaluates on the rest.

Run: /usr/bin/python3 scripts/train-digits.py
"""
import os
import sys

import numpy as np
import torch
from sklearn.datasets import load_digits
from torch import nn

SEED = 0
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'public', 'networks')


class DigitsCnn(nn.Module):
    def __init__(self):
        super().__init__()
        # Small on purpose: the app designs every method (the exact optimum too) on each activation's
        # calibration samples in the browser, so activations per sample are kept to a few hundred.
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.act1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.act2 = nn.ReLU6()  # exported as Clip(0, 6): the clamp spike BS-KMQ pins
        self.fc1 = nn.Linear(16 * 4 * 4, 32)
        self.act3 = nn.ReLU()
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(self.act1(self.conv1(x)))
        x = self.act2(self.conv2(x))
        x = self.act3(self.fc1(torch.flatten(x, 1)))
        return self.fc2(x)


def main():
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    digits = load_digits()
    x = (digits.images.astype(np.float32) / 16.0)[:, None, :, :]
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(SEED).permutation(len(y))
    n_train = 1200
    train, test = order[:n_train], order[n_train:]
    xt, yt = torch.from_numpy(x[train]), torch.from_numpy(y[train])

    model = DigitsCnn()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch = torch.Generator().manual_seed(SEED)
    for _epoch in range(40):
        perm = torch.randperm(n_train, generator=batch)
        for i in range(0, n_train, 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss_fn(model(xt[idx]), yt[idx]).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(torch.from_numpy(x[test])).argmax(1).numpy() == y[test]).mean()
    os.makedirs(OUT, exist_ok=True)
    torch.onnx.export(
        model, torch.zeros(1, 1, 8, 8), os.path.join(OUT, 'digits.onnx'), opset_version=13,
        input_names=['x'], output_names=['logits'], dynamic_axes={'x': {0: 'batch'}, 'logits': {0: 'batch'}},
    )
    np.savez(os.path.join(OUT, 'digits.npz'), x=x[test], y=y[test])
    print(f'test accuracy {acc:.4f} on {len(test)} held-out digits', file=sys.stderr)


if __name__ == '__main__':
    main()
