"""The e2e tests' small network, in PyTorch: exported for the app, and evaluated with the app's quantizers.

  /usr/bin/python3 torch_model.py export DIR
      writes DIR/small.onnx (opset 13), DIR/small.pt (state dict), DIR/small.npz (x float32 [200, 12], y int64),
      and the bad inputs the app must refuse: DIR/noact.onnx (one Linear, no activation node), DIR/wrong-shape.npz
      (x [200, 10]), DIR/wrong-labels.npz (x [200, 12] with 150 labels)
  /usr/bin/python3 torch_model.py evaluate DIR REPORT.json
      prints, for each result of the app's network report, PyTorch's accuracy with every listed layer's
      activation replaced by levels[searchsorted(thresholds, x, right=True)] (ties go up), as JSON
"""
import json
import sys

import numpy as np
import torch
from torch import nn


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(12, 16)
        self.act1 = nn.ReLU()
        self.fc2 = nn.Linear(16, 16)
        self.act2 = nn.Sigmoid()
        self.fc3 = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc3(self.act2(self.fc2(self.act1(self.fc1(x)))))


def data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 12)).astype(np.float32)
    w = rng.normal(size=(12, 4)).astype(np.float32)
    # Noisy labels, so the float accuracy is well below 1 and quantization moves it at several widths.
    y = (x @ w + rng.normal(scale=1.5, size=(200, 4))).argmax(1).astype(np.int64)
    return x, y


def export(out):
    torch.manual_seed(0)
    model = Small()
    x, y = data()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    # Trained on the first half only (the app's default calibration part): the second half is held out.
    xt, yt = torch.from_numpy(x[:100]), torch.from_numpy(y[:100])
    for _ in range(200):
        opt.zero_grad()
        nn.functional.cross_entropy(model(xt), yt).backward()
        opt.step()
    model.eval()
    torch.save(model.state_dict(), f'{out}/small.pt')
    torch.onnx.export(model, torch.zeros(1, 12), f'{out}/small.onnx', opset_version=13, input_names=['x'],
                      output_names=['logits'], dynamic_axes={'x': {0: 'batch'}, 'logits': {0: 'batch'}})
    np.savez(f'{out}/small.npz', x=x, y=y)
    torch.onnx.export(nn.Linear(12, 4), torch.zeros(1, 12), f'{out}/noact.onnx', opset_version=13, input_names=['x'],
                      output_names=['logits'], dynamic_axes={'x': {0: 'batch'}, 'logits': {0: 'batch'}})
    np.savez(f'{out}/wrong-shape.npz', x=x[:, :10].copy(), y=y)
    np.savez(f'{out}/wrong-labels.npz', x=x, y=y[:150])


def evaluate(out, report_path):
    model = Small()
    model.load_state_dict(torch.load(f'{out}/small.pt'))
    model.eval()
    x, y = data()
    report = json.load(open(report_path))
    calib = report['samples']['calibration']
    xe, ye = torch.from_numpy(x[calib:]), y[calib:]
    # The model's activations in graph order are the outputs of act1 then act2 (forward order).
    names = [a['name'] for a in report['model']['activations']]
    if len(names) != 2:
        raise SystemExit(f'expected 2 activations in the report, got {names}')
    modules = dict(zip(names, [model.act1, model.act2]))
    with torch.no_grad():
        float_acc = float((model(xe).argmax(1).numpy() == ye).mean())
    accs = []
    for r in report['results']:
        hooks = []
        for layer in r['layers']:
            t = torch.tensor(layer['thresholds'], dtype=torch.float32)
            lv = torch.tensor(layer['levels'], dtype=torch.float32)
            mod = modules[layer['name']]
            hooks.append(mod.register_forward_hook(
                lambda _m, _i, o, t=t, lv=lv: lv[torch.searchsorted(t, o.contiguous(), right=True)]))
        with torch.no_grad():
            pred = model(xe).argmax(1).numpy()
        for h in hooks:
            h.remove()
        accs.append({'method': r['method'], 'bits': r['bits'], 'accuracy': float((pred == ye).mean())})
    print(json.dumps({'evaluation': len(ye), 'float': float_acc, 'results': accs}))


if __name__ == '__main__':
    if sys.argv[1] == 'export':
        export(sys.argv[2])
    else:
        evaluate(sys.argv[2], sys.argv[3])
