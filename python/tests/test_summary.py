"""The summary: exact merging, faithful statistics, bounded size, every float dtype."""
import math
import os

import numpy as np
import pytest
import torch

from bskmq_torch import MAX_BINS, Summary, load_summaries, save_summaries, summarize
from bskmq_torch.io import SummaryFileError


def sample(kind: str, n: int, g: torch.Generator) -> torch.Tensor:
    z = torch.randn(n, generator=g)
    if kind == "relu":
        return torch.relu(z)
    if kind == "relu6":
        return torch.clamp(torch.relu(z * 3), max=6.0)
    if kind == "hardtanh":
        return torch.clamp(z * 2, -1.0, 1.0)
    if kind == "gelu":
        return torch.nn.functional.gelu(z * 2)
    if kind == "scales":
        # The range grows by many powers of two from one part to the next.
        return z * (10.0 ** torch.randint(-6, 6, (1,), generator=g).item())
    if kind == "offset":
        return 1000.0 + z * 1e-3
    raise ValueError(kind)


def assert_same(a: Summary, b: Summary):
    for k in ("count", "nan", "posinf", "neginf", "zeros", "min", "max", "at_min", "at_max", "exponent"):
        assert getattr(a, k) == getattr(b, k), k
    sa, qa = a.to_state(), b.to_state()
    assert sa["binOffset"] == qa["binOffset"]
    assert np.array_equal(sa["counts"], qa["counts"])
    for k in ("sum", "sumsq"):
        x, y = sa[k], qa[k]
        scale = max(np.abs(x).max(initial=0.0), 1e-300)
        assert np.allclose(x, y, rtol=1e-12, atol=1e-12 * scale), k


@pytest.mark.parametrize(
    "first",
    [torch.zeros(64), torch.tensor([1e-6]), torch.tensor([-3.0, -3.0]), torch.tensor([5e-324]), torch.tensor([1e30])],
    ids=["zeros", "one small value", "one negative value twice", "the smallest double", "one huge value"],
)
def test_a_first_part_of_a_single_value_then_a_wide_one_merges_exactly(first):
    # A dead ReLU's first batch is all zeros: its bins are the finest there are, and the next batch
    # coarsens them by thousands of powers of two.
    g = torch.Generator().manual_seed(3)
    later = torch.relu(torch.randn(5000, generator=g)) * 1e6
    x = torch.cat([first.to(later.dtype), later])
    s = Summary().add(first.to(later.dtype))
    s.add(later)
    assert_same(s, summarize(x))
    assert_same(summarize(first.to(later.dtype)).merge(summarize(later)), summarize(x))


@pytest.mark.parametrize("kind", ["relu", "relu6", "hardtanh", "gelu", "scales", "offset"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_merge_of_parts_equals_summary_of_whole_for_any_split_and_order(kind, seed):
    g = torch.Generator().manual_seed(seed)
    if kind == "scales":
        parts = [sample(kind, int(torch.randint(1, 3000, (1,), generator=g)), g) for _ in range(6)]
        x = torch.cat(parts)
    else:
        x = sample(kind, 20000, g)
        cuts = sorted(torch.randint(0, len(x), (7,), generator=g).tolist())
        parts = [p for p in torch.tensor_split(x, cuts)]
    whole = summarize(x)
    order = torch.randperm(len(parts), generator=g).tolist()
    # Two merge shapes: a running fold, and a tree of pairwise merges (as ranks would).
    fold = Summary()
    for i in order:
        fold.add(parts[i]) if i % 2 else fold.merge(summarize(parts[i]))
    tree = [summarize(parts[i]) for i in order]
    while len(tree) > 1:
        tree = [tree[i].merge(tree[i + 1]) if i + 1 < len(tree) else tree[i] for i in range(0, len(tree), 2)]
    assert_same(fold, whole)
    assert_same(tree[0], whole)


@pytest.mark.parametrize("kind", ["relu", "relu6", "hardtanh", "gelu", "offset"])
def test_statistics_equal_numpy_on_the_raw_samples(kind):
    g = torch.Generator().manual_seed(7)
    x = sample(kind, 50000, g)
    s = summarize(x)
    a = x.numpy().astype(np.float64)
    assert s.count == a.size and s.finite == a.size
    assert s.min == a.min() and s.max == a.max()
    mean, std = s.moments()
    assert mean == pytest.approx(a.mean(), rel=1e-12, abs=1e-12)
    assert std == pytest.approx(a.std(), rel=1e-10)
    assert s.at_min == np.count_nonzero(a == a.min())
    assert s.at_max == np.count_nonzero(a == a.max())
    assert s.zeros == np.count_nonzero(a == 0)


def test_non_finite_values_are_counted_not_binned():
    x = torch.tensor([1.0, float("nan"), float("inf"), -float("inf"), 0.0, 2.0, float("nan")])
    s = summarize(x)
    assert (s.count, s.nan, s.posinf, s.neginf, s.finite) == (7, 2, 1, 1, 3)
    assert (s.min, s.max, s.zeros) == (0.0, 2.0, 1)
    assert int(s.counts.sum()) == 3
    assert s.moments()[0] == pytest.approx(1.0)


def test_all_non_finite_tensor_has_no_range():
    s = summarize(torch.tensor([float("nan")] * 3))
    assert s.count == 3 and s.finite == 0 and s.bins == 0


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_every_float_dtype_gives_the_statistics_of_its_values(dtype):
    x = torch.relu(torch.randn(5000, generator=torch.Generator().manual_seed(3))).to(dtype)
    s = summarize(x)
    a = x.to(torch.float64).numpy()
    assert s.dtype == str(dtype).replace("torch.", "")
    assert (s.min, s.max, s.zeros) == (a.min(), a.max(), np.count_nonzero(a == 0))
    assert s.moments()[0] == pytest.approx(a.mean(), rel=1e-12)


def test_integer_tensors_are_refused():
    with pytest.raises(TypeError, match="floating-point"):
        summarize(torch.arange(4))


def test_bins_stay_bounded_whatever_the_range_and_count():
    s = Summary()
    g = torch.Generator().manual_seed(0)
    for e in range(-30, 31, 5):
        s.add(torch.randn(10000, generator=g) * 10.0**e)
    assert s.bins <= MAX_BINS
    assert s.count == 13 * 10000


def test_the_summary_file_round_trips_and_is_recognised_by_content(tmp_path):
    x = torch.relu(torch.randn(10000, generator=torch.Generator().manual_seed(1)))
    y = torch.tanh(torch.randn(3000, generator=torch.Generator().manual_seed(2)))
    p = tmp_path / "any-name.bin"
    save_summaries({"a": summarize(x), "b.c": summarize(y)}, p)
    back = load_summaries(p)
    assert list(back) == ["a", "b.c"]
    assert_same(back["a"], summarize(x))
    assert_same(back["b.c"], summarize(y))


def test_a_summary_file_of_another_version_is_refused_naming_the_file(tmp_path):
    import json

    p = tmp_path / "s.npz"
    save_summaries({"a": summarize(torch.ones(3))}, p)
    z = dict(np.load(p))
    doc = json.loads(bytes(z["bskmq_summary"]).decode())
    doc["version"] = 2
    z["bskmq_summary"] = np.frombuffer(json.dumps(doc).encode(), dtype=np.uint8)
    q = tmp_path / "v2.npz"
    np.savez(q, **z)
    with pytest.raises(SummaryFileError, match=r"v2\.npz: bskmq-summary version 2; this reader knows version 1"):
        load_summaries(q)


def test_a_plain_npz_is_not_a_summary_file(tmp_path):
    p = tmp_path / "plain.npz"
    np.savez(p, x=np.zeros(3))
    with pytest.raises(SummaryFileError, match=r"plain\.npz: not a bskmq summary file"):
        load_summaries(p)


def _reference_bins(a: np.ndarray, exponent: int, offset: int, bins: int):
    """Counts and Σ(x − edge), Σ(x − edge)² per bin, in numpy's extended precision, bin by bin."""
    w = np.longdouble(2.0) ** exponent
    al = a.astype(np.longdouble)
    idx = np.floor(al / w).astype(np.int64) - offset
    d = al - (idx + offset).astype(np.longdouble) * w
    counts = np.bincount(idx, minlength=bins)
    s = np.zeros(bins, dtype=np.longdouble)
    ss = np.zeros(bins, dtype=np.longdouble)
    np.add.at(s, idx, d)
    np.add.at(ss, idx, d * d)
    return counts, s.astype(np.float64), ss.astype(np.float64)


def _awkward(kind: str) -> torch.Tensor:
    g = torch.Generator().manual_seed(11)
    z = torch.randn(30000, generator=g)
    if kind == "tiny negatives":
        # Just below zero, where x + width would round: the bin right of the first negative edge.
        x = torch.nn.functional.gelu(z * 2)
        x[:6] = torch.tensor([-1e-30, -1e-20, -2.0**-140, -1e-8, 1e-30, 0.0])
        return x
    if kind == "far from zero":
        return 1000.0 + z * 1e-3
    if kind == "float64":
        return torch.nn.functional.gelu(z.double() * 3)
    if kind == "subnormal range":
        return z * 1e-40
    if kind == "huge range":
        return z * 1e30
    if kind == "repeated extremes":
        x = torch.tanh(z)
        x[:7] = x.min()
        x[7:12] = x.max()
        return x
    raise ValueError(kind)


@pytest.mark.parametrize(
    "kind", ["tiny negatives", "far from zero", "float64", "subnormal range", "huge range", "repeated extremes"]
)
def test_bins_and_spikes_equal_an_extended_precision_reference_on_awkward_samples(kind):
    x = _awkward(kind)
    s = Summary()
    for part in torch.tensor_split(x, [1000, 17000]):
        s.add(part)
    st = s.to_state()
    a = x.to(torch.float64).numpy()
    counts, ref_s, ref_ss = _reference_bins(a, st["binExponent"], st["binOffset"], len(st["counts"]))
    assert np.array_equal(st["counts"], counts)
    for got, want in ((st["sum"], ref_s), (st["sumsq"], ref_ss)):
        scale = max(np.abs(want).max(initial=0.0), 1e-300)
        assert np.allclose(got, want, rtol=1e-12, atol=1e-13 * scale)
    assert (s.min, s.max) == (a.min(), a.max())
    assert (s.zeros, s.at_min, s.at_max) == (
        np.count_nonzero(a == 0),
        np.count_nonzero(a == a.min()),
        np.count_nonzero(a == a.max()),
    )
