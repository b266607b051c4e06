"""Putting a design's thresholds and levels into a model, and taking them out again."""
from __future__ import annotations

import contextlib
import difflib
from typing import Dict, Tuple

import torch
import torch.nn as nn

from .design import normalize_design


def layer_quantizers(design: dict, method: str, bits: int) -> Dict[str, Tuple[list, list, dict]]:
    """{layer name: (thresholds, levels, result)} of one method at one bit width of a design."""
    design = normalize_design(design)
    out = {}
    for rep in design["tensors"]:
        name = rep["input"]["tensor"]
        if "error" in rep:
            raise ValueError(f"quantized: layer {name!r} has no design: {rep['error']}")
        found = [r for r in rep["results"] if r["method"] == method and r["bits"] == bits]
        if not found:
            have = sorted({f"{r['method']}@{r['bits']}" for r in rep["results"]})
            raise ValueError(f"quantized: layer {name!r} has no {method} design at {bits} bits (it has {', '.join(have)})")
        r = found[0]
        t, l = r["thresholds"], r["levels"]
        if any(v is None for v in t + l) or len(l) != len(t) + 1:
            raise ValueError(f"quantized: layer {name!r}: {method} at {bits} bits has non-finite or inconsistent levels")
        out[name] = (t, l, r)
    return out


def quantize_tensor(x: torch.Tensor, thresholds: torch.Tensor, levels: torch.Tensor) -> torch.Tensor:
    """Q(x): code = number of thresholds ≤ x (a value on a threshold goes up), value levels[code].

    Compared in float64, so a float32 activation is compared with the exact threshold.
    """
    code = torch.searchsorted(thresholds, x.to(torch.float64), right=True)
    return levels[code].to(x.dtype)


@contextlib.contextmanager
def quantized(model: nn.Module, design: dict, method: str, bits: int):
    """Within the block, every designed layer's output is replaced by its quantized value.

    The design's tensor names are module names of `model` (as `Recorder` saved them). The model is
    left exactly as it was on exit (only forward hooks are added, and they are removed).
    """
    qs = layer_quantizers(design, method, bits)
    named = dict(model.named_modules())
    missing = [n for n in qs if n not in named or n == ""]
    if missing:
        n = missing[0]
        close = difflib.get_close_matches(n, [k for k in named if k], n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(f"quantized: the design's layer {n!r} is not a module of {type(model).__name__}{hint}")
    handles = []
    try:
        for name, (t, l, _) in qs.items():
            module = named[name]
            dev = next((p.device for p in module.parameters()), None) or next(
                (p.device for p in model.parameters()), torch.device("cpu")
            )
            thr = torch.tensor(t, dtype=torch.float64, device=dev)
            lev = torch.tensor(l, dtype=torch.float64, device=dev)

            def hook(mod, inputs, output, name=name, thr=thr, lev=lev):
                if not isinstance(output, torch.Tensor):
                    raise TypeError(f"quantized: module {name!r} returned a {type(output).__name__}, not a tensor")
                if thr.device != output.device:
                    thr, lev = thr.to(output.device), lev.to(output.device)
                if torch.isnan(output).any():
                    raise ValueError(f"quantized: module {name!r} returned NaN activations; they have no code")
                return quantize_tensor(output, thr, lev)

            handles.append(module.register_forward_hook(hook))
        yield model
    finally:
        for h in handles:
            h.remove()
