"""Recording a live model: hooks, torch.distributed merging, bad modules and activations."""
import os
import socket

import numpy as np
import pytest
import torch
import torch.nn as nn

from bskmq_torch import Recorder, Summary, load_summaries, summarize
from bskmq_torch.ptq import ptq


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.fc1 = nn.Linear(8, 32)
        self.act1 = nn.ReLU()
        self.fc2 = nn.Linear(32, 16)
        self.act2 = nn.Hardtanh()
        self.head = nn.Linear(16, 4)

    def forward(self, x):
        return self.head(self.act2(self.fc2(self.act1(self.fc1(x)))))


def batches(n=10, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(int(torch.randint(1, 40, (1,), generator=g)), 8, generator=g) for _ in range(n)]


def same(a: Summary, b: Summary):
    sa, sb = a.to_state(), b.to_state()
    for k in ("count", "nan", "zeros", "min", "max", "atMin", "atMax", "binExponent", "binOffset"):
        assert sa[k] == sb[k], k
    assert np.array_equal(sa["counts"], sb["counts"])
    for k in ("sum", "sumsq"):
        assert np.allclose(sa[k], sb[k], rtol=1e-12, atol=1e-12 * np.abs(sa[k]).max(initial=1e-300))


def test_recorder_records_every_activation_module_by_default_equal_to_summarize():
    net, bs = Net(), batches()
    with torch.no_grad(), Recorder(net) as rec:
        for b in bs:
            net(b)
    s = rec.summaries()
    assert list(s) == ["act1", "act2"]
    with torch.no_grad():
        raw = torch.cat([net.act1(net.fc1(b)) for b in bs])
    same(s["act1"], summarize(raw))
    # Hooks are gone after the block.
    assert not net.act1._forward_hooks and not net.act2._forward_hooks


def test_recorder_records_the_named_modules_only():
    net = Net()
    with torch.no_grad(), Recorder(net, ["fc2"]) as rec:
        net(batches(1)[0])
    assert list(rec.summaries()) == ["fc2"]


def test_an_unknown_module_name_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"Net has no module named 'act3'; did you mean 'act2', 'act1'"):
        Recorder(Net(), ["act3"])


def test_a_module_returning_a_non_tensor_is_an_error_naming_it():
    class Pair(nn.Module):
        def forward(self, x):
            return x, x

    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.pair = Pair()

        def forward(self, x):
            return self.pair(x)[0]

    m = M()
    with pytest.raises(TypeError, match=r"module 'pair' \(Pair\) returned a tuple, not a tensor"):
        with Recorder(m, ["pair"]):
            m(torch.ones(2))


def test_nan_activations_are_an_error_naming_the_module_unless_counted():
    net = Net()
    x = torch.randn(4, 8)
    x[0, 0] = float("nan")
    with pytest.raises(ValueError, match=r"module 'act1' \(ReLU\) returned \d+ NaN/Inf values"):
        with torch.no_grad(), Recorder(net):
            net(x)
    with torch.no_grad(), Recorder(net, nonfinite="count") as rec:
        net(x)
    assert rec.summaries()["act1"].nan > 0


def test_saving_a_module_that_never_ran_is_an_error_naming_it(tmp_path):
    with Recorder(Net()) as rec:
        pass
    with pytest.raises(ValueError, match=r"'act1', 'act2' recorded no activations"):
        rec.save(tmp_path / "s.npz")


def test_an_empty_calibration_set_is_an_error():
    with pytest.raises(ValueError, match="calibration set is empty"):
        ptq(Net(), [], lambda m: 1.0)


def test_all_reduce_is_a_no_op_without_torch_distributed():
    net = Net()
    with torch.no_grad(), Recorder(net) as rec:
        net(batches(1)[0])
    before = rec.summaries()
    assert rec.all_reduce().summaries() == before


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rank(rank, world, port, out):
    import torch.distributed as dist

    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    net = Net()
    with torch.no_grad(), Recorder(net) as rec:
        for b in batches()[rank::world]:
            net(b)
    rec.all_reduce()
    rec.save(os.path.join(out, f"rank{rank}.npz"))
    dist.destroy_process_group()


def test_a_two_process_gloo_recording_equals_the_single_process_one(tmp_path):
    import torch.multiprocessing as mp

    mp.spawn(_rank, args=(2, _free_port(), str(tmp_path)), nprocs=2, join=True)
    net = Net()
    with torch.no_grad(), Recorder(net) as rec:
        for b in batches():
            net(b)
    r0 = load_summaries(tmp_path / "rank0.npz")
    r1 = load_summaries(tmp_path / "rank1.npz")
    for name, s in rec.summaries().items():
        same(r0[name], s)
        same(r1[name], r0[name])
    # Every rank ends with the very same bytes.
    assert (tmp_path / "rank0.npz").read_bytes() == (tmp_path / "rank1.npz").read_bytes()


@pytest.mark.parametrize("background", [False, True])
def test_buffered_and_background_recording_equal_summarize_of_the_outputs(background):
    net, bs = Net(), batches(30) + [torch.randn(9000, 8, generator=torch.Generator().manual_seed(5))]
    with torch.no_grad(), Recorder(net, background=background) as rec:
        for b in bs:
            net(b)
    with torch.no_grad():
        raw = torch.cat([net.act1(net.fc1(b)) for b in bs])
    s = rec.summaries()["act1"]
    same(s, summarize(raw))
    assert s.shape == (9000, 32)


def test_background_recording_sees_each_output_as_it_was_not_as_changed_later():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.act = nn.ReLU()

        def forward(self, x):
            y = self.act(x)
            y.mul_(0)
            return y

    m, x = M(), torch.randn(70000)
    with torch.no_grad(), Recorder(m, background=True) as rec:
        m(x)
        m(x[:100])
    same(rec.summaries()["act"], summarize(torch.cat([torch.relu(x), torch.relu(x[:100])])))


def test_nan_in_background_recording_is_an_error_naming_the_module():
    net = Net()
    x = torch.randn(4, 8)
    x[0, 0] = float("nan")
    with pytest.raises(ValueError, match=r"module 'act1' \(ReLU\) returned \d+ NaN/Inf values"):
        with torch.no_grad(), Recorder(net, background=True):
            net(x)


def test_background_recordings_one_after_another_reuse_buffers_and_stay_exact():
    # Buffers handed to the shared worker go back to a pool; a later recording must not see them
    # changed by an earlier one, also after a recording left by an exception.
    net = Net()
    big = [torch.randn(5000, 8, generator=torch.Generator().manual_seed(s)) for s in range(6)]
    with pytest.raises(RuntimeError, match="stop here"):
        with torch.no_grad(), Recorder(net, background=True):
            for b in big:
                net(b)
            raise RuntimeError("stop here")
    for seed in (1, 2):
        bs = big[seed:] + batches(5, seed)
        with torch.no_grad(), Recorder(net, background=True) as rec:
            for b in bs:
                net(b)
        with torch.no_grad():
            raw = torch.cat([net.act1(net.fc1(b)) for b in bs])
        same(rec.summaries()["act1"], summarize(raw))


def _record_in_child(out):
    net = Net()
    with torch.no_grad(), Recorder(net, background=True) as rec:
        for b in batches(5, 2):
            net(b)
    out.put(rec.summaries()["act1"].count)


def test_background_recording_works_in_a_forked_child_of_a_process_that_used_it():
    # The shared thread does not survive a fork; the child must start its own, not wait forever.
    import multiprocessing as mp

    net = Net()
    with torch.no_grad(), Recorder(net, background=True):
        net(torch.randn(3000, 8))
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_record_in_child, args=(out,))
    child.start()
    child.join(60)
    if child.is_alive():
        child.kill()
    assert child.exitcode == 0, "the child hung or failed"
    expected = sum(b.shape[0] for b in batches(5, 2)) * 32
    assert out.get(timeout=5) == expected
