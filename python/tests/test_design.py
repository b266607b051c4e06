"""Designs on a summary against designs on the raw samples; quantized against a reference."""
import json

import numpy as np
import pytest
import torch
import torch.nn as nn

from bskmq_torch import design, load_design, quantized, quantize_tensor, save_summaries, summarize
from bskmq_torch.design import _flag

METHODS = ["linear", "cdf", "lloydmax", "kmeans", "kmeanspp", "bskmq", "optimal"]


def test_params_map_to_the_command_lines_flags():
    assert _flag("bandLow") == "--band-low" and _flag("suppressWeight") == "--suppress-weight" and _flag("seed") == "--seed"


@pytest.fixture(scope="module")
def relu6_and_gelu(tmp_path_factory):
    d = tmp_path_factory.mktemp("design")
    g = torch.Generator().manual_seed(5)
    relu6 = torch.clamp(torch.relu(torch.randn(300000, generator=g) * 2.5), max=6.0)
    gelu = nn.functional.gelu(torch.randn(300000, generator=g) * 2)
    save_summaries({"relu6": summarize(relu6), "gelu": summarize(gelu)}, d / "s.npz")
    np.save(d / "relu6.npy", relu6.numpy())
    np.save(d / "gelu.npy", gelu.numpy())
    return d


def test_every_methods_design_on_the_summary_agrees_with_the_raw_samples_as_binned_sets_do(relu6_and_gelu):
    """Where the binned point set of the raw samples agrees with the exact one to 1e-3 relative MSE,
    the summary must too (seeded K-means may land in another local optimum on any binning)."""
    d = relu6_and_gelu
    summ = design(d / "s.npz", bits=(2, 4), methods=METHODS, seed=0)
    agreed = checked = 0
    for rep in summ["tensors"]:
        name = rep["input"]["tensor"]
        exact = design(d / f"{name}.npy", bits=(2, 4), methods=METHODS, seed=0, exact=True)["tensors"][0]
        binned = design(d / f"{name}.npy", bits=(2, 4), methods=METHODS, seed=0, binned=True)["tensors"][0]
        assert exact["pointSet"]["mode"] == "exact" and binned["pointSet"]["mode"] == "binned"
        assert rep["input"]["count"] == exact["input"]["count"]
        for k in ("min", "max", "spikeLow", "spikeHigh"):
            assert rep["input"][k] == exact["input"][k], k
        assert rep["input"]["mean"] == pytest.approx(exact["input"]["mean"], rel=1e-9)
        assert rep["input"]["std"] == pytest.approx(exact["input"]["std"], rel=1e-9)
        for a, e, b in zip(rep["results"], exact["results"], binned["results"]):
            assert (a["method"], a["bits"]) == (e["method"], e["bits"]) == (b["method"], b["bits"])
            if abs(b["mse"] - e["mse"]) <= 1e-3 * e["mse"]:
                checked += 1
                assert abs(a["mse"] - e["mse"]) <= 1e-3 * e["mse"], (name, a["method"], a["bits"], a["mse"], e["mse"])
    assert checked >= 24  # of 28: all but the seed-dependent K-means runs that binning moves


def test_a_cli_error_is_raised_as_its_one_line(tmp_path):
    with pytest.raises(RuntimeError, match="no such file"):
        design(tmp_path / "missing.npz", bits=3)


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.fc(x))


def fake_design(name="act", thresholds=(0.5, 1.0, 2.0), levels=(0.0, 0.75, 1.5, 3.0)):
    res = {"method": "bskmq", "bits": 2, "thresholds": list(thresholds), "levels": list(levels), "mse": 0.1}
    return {"file": "x", "format": "bskmq-summary", "tensors": [{"input": {"tensor": name}, "params": {}, "results": [res]}]}


def test_quantize_tensor_equals_a_hand_written_reference_with_ties_going_up():
    t = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)
    lv = torch.tensor([0.0, 0.75, 1.5, 3.0], dtype=torch.float64)
    x = torch.cat([torch.tensor([0.5, 1.0, 2.0, 0.4999, -3.0, 9.0]), torch.randn(1000) * 2])
    code_ref = (x.to(torch.float64)[:, None] >= t[None, :]).sum(1)
    assert torch.equal(torch.bucketize(x.double(), t, right=True), code_ref)
    q = quantize_tensor(x, t, lv)
    assert torch.equal(q, lv[code_ref].float())
    assert q[:3].tolist() == [0.75, 1.5, 3.0]  # a value on a threshold goes to the upper code


def test_quantized_puts_the_levels_in_and_restores_the_model_exactly():
    torch.manual_seed(0)
    m = Tiny()
    x = torch.randn(64, 4)
    before_state = {k: v.clone() for k, v in m.state_dict().items()}
    with torch.no_grad():
        y0 = m(x)
        with quantized(m, fake_design(), "bskmq", 2):
            yq = m(x)
        y1 = m(x)
    t = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)
    lv = torch.tensor([0.0, 0.75, 1.5, 3.0], dtype=torch.float64)
    assert torch.equal(yq, lv[torch.bucketize(y0.double(), t, right=True)].float())
    assert torch.equal(y0, y1)
    assert not m.act._forward_hooks
    assert all(torch.equal(before_state[k], v) for k, v in m.state_dict().items())


def test_the_model_is_restored_when_the_block_raises():
    m = Tiny()
    with pytest.raises(RuntimeError, match="boom"):
        with quantized(m, fake_design(), "bskmq", 2):
            raise RuntimeError("boom")
    assert not m.act._forward_hooks


def test_a_design_layer_that_is_not_a_module_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"the design's layer 'acts' is not a module of Tiny; did you mean 'act'"):
        with quantized(Tiny(), fake_design("acts"), "bskmq", 2):
            pass


def test_a_missing_method_or_width_is_an_error_naming_the_layer():
    with pytest.raises(ValueError, match=r"layer 'act' has no kmeans design at 2 bits \(it has bskmq@2\)"):
        with quantized(Tiny(), fake_design(), "kmeans", 2):
            pass


def test_nan_activations_under_quantized_are_an_error_naming_the_module():
    m = Tiny()
    with pytest.raises(ValueError, match=r"module 'act' returned NaN"):
        with torch.no_grad(), quantized(m, fake_design(), "bskmq", 2):
            m(torch.full((1, 4), float("nan")))


def test_load_design_reads_single_and_all_tensor_reports(tmp_path):
    rep = fake_design()
    (tmp_path / "all.json").write_text(json.dumps(rep))
    (tmp_path / "one.json").write_text(json.dumps(rep["tensors"][0]))
    assert load_design(tmp_path / "all.json") == rep
    assert load_design(tmp_path / "one.json")["tensors"] == rep["tensors"]
    (tmp_path / "bad.json").write_text("[1]")
    with pytest.raises(ValueError, match=r"bad\.json: not a bskmq design report"):
        load_design(tmp_path / "bad.json")
