"""Recording activation summaries from a live model with forward hooks."""
from __future__ import annotations

import difflib
from typing import Dict, Iterable, List, Optional

import torch
import torch.nn as nn

from .io import save_summaries
from .summary import Summary

#: The modules `Recorder(model)` records by default: every activation function's module.
ACTIVATIONS = (nn.ReLU, nn.ReLU6, nn.Hardtanh, nn.LeakyReLU, nn.GELU, nn.SiLU, nn.Sigmoid, nn.Tanh)


def resolve_modules(model: nn.Module, modules: Optional[Iterable[str]], what: str = "Recorder") -> Dict[str, nn.Module]:
    """{name: module} for the names asked for, or every activation module when `modules` is None."""
    named = dict(model.named_modules())
    if modules is None:
        chosen = {n: m for n, m in named.items() if n and isinstance(m, ACTIVATIONS)}
        if not chosen:
            raise ValueError(
                f"{what}: {type(model).__name__} has no activation modules "
                f"({', '.join(c.__name__ for c in ACTIVATIONS)}); pass modules=[names]"
            )
        return chosen
    if isinstance(modules, str):
        modules = [modules]
    chosen = {}
    for n in modules:
        if n not in named or n == "":
            close = difflib.get_close_matches(n, [k for k in named if k], n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise ValueError(f"{what}: {type(model).__name__} has no module named {n!r}{hint}")
        chosen[n] = named[n]
    if not chosen:
        raise ValueError(f"{what}: modules=[] selects nothing to record")
    return chosen


class Recorder:
    """Context manager that summarises the outputs of the chosen modules on every forward pass.

    `modules=None` records every activation module (ReLU, ReLU6, Hardtanh, LeakyReLU, GELU, SiLU,
    Sigmoid, Tanh); otherwise a list of names from `model.named_modules()`. A NaN or ±Inf output is
    an error naming the module unless `nonfinite="count"`, which only counts it.
    """

    def __init__(self, model: nn.Module, modules: Optional[List[str]] = None, nonfinite: str = "error"):
        if nonfinite not in ("error", "count"):
            raise ValueError(f"Recorder: nonfinite must be 'error' or 'count', got {nonfinite!r}")
        self.model = model
        self.modules = resolve_modules(model, modules)
        self.nonfinite = nonfinite
        self._summaries: Dict[str, Summary] = {n: Summary() for n in self.modules}
        self._handles = []
        self.calls = 0

    def _hook(self, name: str):
        def hook(module, inputs, output):
            if not isinstance(output, torch.Tensor):
                raise TypeError(
                    f"Recorder: module {name!r} ({type(module).__name__}) returned a {type(output).__name__}, "
                    "not a tensor; record modules that return one tensor"
                )
            if not output.is_floating_point():
                raise TypeError(f"Recorder: module {name!r} returned a {output.dtype} tensor, expected floating point")
            s = self._summaries[name]
            before = s.non_finite
            s.add(output)
            if self.nonfinite == "error" and s.non_finite != before:
                raise ValueError(
                    f"Recorder: module {name!r} ({type(module).__name__}) returned {s.non_finite - before} "
                    f"NaN/Inf values (of {output.numel()}); fix the model or pass nonfinite='count'"
                )

        return hook

    def __enter__(self) -> "Recorder":
        for name, m in self.modules.items():
            self._handles.append(m.register_forward_hook(self._hook(name)))
        return self

    def __exit__(self, *exc) -> None:
        for h in self._handles:
            h.remove()
        self._handles = []

    def summaries(self) -> Dict[str, Summary]:
        """{module name: Summary} of everything recorded so far (the live objects)."""
        return dict(self._summaries)

    def all_reduce(self, group=None) -> "Recorder":
        """Merges the summaries of every rank of `group`; every rank ends with the same merged result.

        A no-op when torch.distributed is not initialised. Ranks are merged in rank order on every
        rank, so all ranks hold identical summaries.
        """
        import torch.distributed as dist

        if not (dist.is_available() and dist.is_initialized()):
            return self
        mine = {n: s.to_state() for n, s in self._summaries.items()}
        world = dist.get_world_size(group)
        gathered = [None] * world
        dist.all_gather_object(gathered, mine, group=group)
        names = list(mine)
        for r, other in enumerate(gathered):
            if list(other) != names:
                raise ValueError(f"Recorder.all_reduce: rank {r} recorded modules {list(other)}, this rank {names}")
        merged = {}
        for n in names:
            device = self._summaries[n].device
            acc = Summary(device)
            for other in gathered:
                acc.merge(Summary.from_state(other[n], device))
            merged[n] = acc
        self._summaries = merged
        return self

    def save(self, path) -> str:
        """Writes every recorded layer into one summary file (see save_summaries)."""
        empty = [n for n, s in self._summaries.items() if s.count == 0]
        if empty:
            raise ValueError(
                f"Recorder.save: {', '.join(repr(n) for n in empty)} recorded no activations "
                "(never called during the forward passes?)"
            )
        return save_summaries(self._summaries, path)
