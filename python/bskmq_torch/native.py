"""An optional compiled kernel for the summary's hot loop, bit for bit the pure-torch result.

Summarising a float32 CPU tensor of non-negative bins (every ReLU-family activation) costs three
`torch.bincount` scatters plus six elementwise passes; one C++ loop does the same additions in the
same order (per slice of `summary.SLICE` samples, then slice totals added), so the summary is
identical and several times cheaper. It is built with torch's own C++ extension tool on request,
`accelerate()`, or at import when the environment sets ``BSKMQ_TORCH_NATIVE=1``; that needs a C++
compiler, ninja and torch's headers (Debian: ``g++``, ``ninja-build``, ``libtorch-dev``), takes about
a minute once, and is cached by torch (``~/.cache/torch_extensions``). Without it every summary
takes the pure-torch path.
"""
from __future__ import annotations

import os
from typing import Optional, Tuple

import torch

_SOURCE = r"""
#include <torch/extension.h>
#include <cmath>
#include <vector>

namespace {
// A bin's count and sums side by side: the three additions of a sample land next to each other.
struct Bin { int64_t c; double s; double ss; };
}

// Bins of float32 samples x at t = x * scale (an exact power-of-two scaling): bin trunc(t) - first,
// deviation t - trunc(t) (float32, then double), for non-negative bins only. Slices of `slice`
// samples are accumulated apart and then added to the totals, as the pure-torch path does.
std::vector<torch::Tensor> bins(torch::Tensor x, double scale, int64_t first, int64_t nb, int64_t slice) {
  TORCH_CHECK(x.dtype() == torch::kFloat32 && x.is_contiguous() && x.device().is_cpu(), "bins: contiguous float32 CPU tensor");
  const float* xp = x.data_ptr<float>();
  const float sc = static_cast<float>(scale);
  const int64_t n = x.numel();
  std::vector<Bin> total(nb, Bin{0, 0.0, 0.0}), part;
  if (n > slice) part.resize(nb);
  int64_t zeros = 0, outside = 0;
  for (int64_t a = 0; a < n; a += slice) {
    const int64_t b = std::min(n, a + slice);
    Bin* acc = a == 0 ? total.data() : part.data();
    if (a > 0) std::fill(part.begin(), part.end(), Bin{0, 0.0, 0.0});
    for (int64_t i = a; i < b; i++) {
      const float xi = xp[i];
      zeros += xi == 0.0f;
      const float t = xi * sc;
      const float f = std::trunc(t);
      const int64_t k = static_cast<int64_t>(f) - first;
      if (static_cast<uint64_t>(k) >= static_cast<uint64_t>(nb)) { outside++; continue; }
      const double v = static_cast<double>(t - f);
      Bin& d = acc[k];
      d.c += 1;
      d.s += v;
      d.ss += v * v;
    }
    if (a > 0) for (int64_t k = 0; k < nb; k++) { total[k].c += part[k].c; total[k].s += part[k].s; total[k].ss += part[k].ss; }
  }
  TORCH_CHECK(outside == 0, "bins: ", outside, " samples outside bins [first, first + nb)");
  auto counts = torch::empty({nb}, torch::kInt64);
  auto s = torch::empty({nb}, torch::kFloat64);
  auto ss = torch::empty({nb}, torch::kFloat64);
  int64_t* cp = counts.data_ptr<int64_t>();
  double* sp = s.data_ptr<double>();
  double* ssp = ss.data_ptr<double>();
  for (int64_t k = 0; k < nb; k++) { cp[k] = total[k].c; sp[k] = total[k].s; ssp[k] = total[k].ss; }
  return {counts, s, ss, torch::tensor(zeros, torch::kInt64)};
}
"""

_module = None


def available() -> bool:
    """True once the kernel is built (by accelerate() or BSKMQ_TORCH_NATIVE=1)."""
    return _module is not None


def accelerate(verbose: bool = False) -> bool:
    """Builds (or loads from torch's cache) the native kernel; raises RuntimeError naming why it cannot."""
    global _module
    if _module is not None:
        return True
    try:
        from torch.utils.cpp_extension import load_inline

        _module = load_inline(
            "bskmq_torch_bins_v3", cpp_sources=_SOURCE, functions=["bins"], extra_cflags=["-O3"], verbose=verbose
        )
    except Exception as e:  # a missing compiler, ninja or headers: say which, keep the torch path
        raise RuntimeError(
            f"bskmq_torch.accelerate: the native kernel could not be built ({type(e).__name__}: {e}); "
            "it needs a C++ compiler, ninja and torch's headers (Debian: g++, ninja-build, libtorch-dev). "
            "Summaries keep the pure-torch path."
        ) from None
    return True


def deactivate() -> None:
    """Goes back to the pure-torch path (tests compare both)."""
    global _module
    _module = None


def bins(x: torch.Tensor, scale: float, first: int, nb: int, slice_: int) -> Optional[Tuple[torch.Tensor, ...]]:
    """(counts, Σv, Σv², zeros) of `x` when the kernel is built and applies, else None."""
    if _module is None or x.dtype != torch.float32 or x.device.type != "cpu" or not x.is_contiguous():
        return None
    return tuple(_module.bins(x, scale, first, nb, slice_))


if os.environ.get("BSKMQ_TORCH_NATIVE") == "1":
    try:
        accelerate()
    except RuntimeError:
        pass
