"""Writes test/fixtures/activations/digits_cnn.npz: real post-ReLU activations of a small CNN.

The network is trained here on scikit-learn's bundled 8x8 digits (no download), seeded, for a few
epochs; the activations of three layers on 200 held-out images are saved with np.savez_compressed.
They stand in for a real network's dumps when choosing BS-KMQ's defaults (docs/defaults.md).
Run with /usr/bin/python3 (torch, sklearn, numpy).
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.manual_seed(0)
digits = load_digits()
x = torch.tensor(digits.images / 16.0, dtype=torch.float32).unsqueeze(1)
y = torch.tensor(digits.target)
perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
train, test = perm[:1500], perm[1500:1700]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc1 = nn.Linear(16 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, t, keep=None):
        a1 = F.relu(self.conv1(t))
        a2 = F.relu(self.conv2(a1))
        a3 = F.relu6(self.fc1(F.max_pool2d(a2, 2).flatten(1)))
        if keep is not None:
            keep.update(conv1=a1, conv2=a2, fc1=a3)
        return self.fc2(a3)


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
for epoch in range(30):
    for i in range(0, len(train), 100):
        idx = train[i:i + 100]
        opt.zero_grad()
        F.cross_entropy(net(x[idx]), y[idx]).backward()
        opt.step()
keep = {}
with torch.no_grad():
    acc = (net(x[test], keep).argmax(1) == y[test]).float().mean().item()
print(f"test accuracy {acc:.3f}")
out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'activations', 'digits_cnn.npz')
np.savez_compressed(out, **{k: v.numpy().astype(np.float32) for k, v in keep.items()})
for k, v in keep.items():
    a = v.numpy()
    print(k, a.shape, f"zeros {np.mean(a == 0):.3f}", f"max {a.max():.3f}", f"at max {np.mean(a == a.max()):.4f}")
