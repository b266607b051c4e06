"""The optional native kernel: the same summary, bit for bit, as the pure-torch path."""
import numpy as np
import pytest
import torch

from bskmq_torch import Recorder, Summary, native, summarize
from bskmq_torch.summary import SLICE


@pytest.fixture(scope="module")
def kernel():
    try:
        native.accelerate()
    except RuntimeError as e:  # no compiler, ninja or torch headers on this machine
        pytest.skip(str(e))
    yield
    native.deactivate()


def states(make):
    """make() summarised with the kernel and without it, as plain data."""
    native.accelerate()
    fast = make().to_state()
    native.deactivate()
    slow = make().to_state()
    native.accelerate()
    return fast, slow


def identical(a, b):
    assert a.keys() == b.keys()
    for k in a:
        if isinstance(a[k], np.ndarray):
            assert a[k].dtype == b[k].dtype and a[k].tobytes() == b[k].tobytes(), k
        else:
            assert a[k] == b[k], k


@pytest.mark.parametrize("seed", range(12))
def test_kernel_summaries_equal_the_torch_path_bit_for_bit(kernel, seed):
    # Seeded random shapes: sizes across the slice boundary, ReLU / ReLU6 spikes, ranges from 1e-6 to 1e6,
    # several adds into one summary (the window coarsens as the range grows).
    g = torch.Generator().manual_seed(seed)
    parts = []
    for _ in range(int(torch.randint(1, 5, (1,), generator=g))):
        n = int(torch.randint(1, 3 * SLICE, (1,), generator=g))
        scale = float(10 ** torch.randint(-6, 7, (1,), generator=g))
        x = torch.relu(torch.randn(n, generator=g)) * scale
        if seed % 3 == 0:
            x = torch.clamp(x, max=6 * scale)
        parts.append(x)

    def make():
        s = Summary()
        for x in parts:
            s.add(x)
        return s

    identical(*states(make))


def test_kernel_leaves_what_it_does_not_cover_to_the_torch_path(kernel):
    g = torch.Generator().manual_seed(1)
    for x in (
        torch.randn(5000, generator=g),  # negative bins
        torch.relu(torch.randn(5000, generator=g)).double(),  # float64
        torch.relu(torch.randn(100, 50, generator=g)).t(),  # not contiguous
        torch.relu(torch.randn(5000, generator=g)) + 1e7,  # far from zero (shifted bins)
    ):
        identical(*states(lambda: summarize(x)))


def test_recording_with_the_kernel_equals_recording_without(kernel):
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(16, 64), torch.nn.ReLU(), torch.nn.Linear(64, 8), torch.nn.ReLU6())
    batches = [torch.randn(int(b), 16) for b in torch.randint(1, 3000, (20,))]

    def record():
        with torch.no_grad(), Recorder(net) as rec:
            for b in batches:
                net(b)
        return rec.summaries()["1"]

    identical(*states(record))
