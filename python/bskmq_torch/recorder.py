"""Recording activation summaries from a live model with forward hooks."""
from __future__ import annotations

import difflib
import os
import queue
import threading
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


#: Outputs smaller than this many elements are gathered per layer into one buffer of CHUNK elements
#: and summarised together, so small batches cost one summary step per chunk, not one per call.
CHUNK = 1 << 20
#: Most elements waiting for the background thread; a hook waits when more would be queued.
QUEUE_LIMIT = 1 << 24


class _Layer:
    __slots__ = ("name", "kind", "summary", "buf", "fill", "spare", "shape")

    def __init__(self, name: str, kind: str):
        self.name, self.kind = name, kind
        self.summary = Summary()
        self.buf: Optional[torch.Tensor] = None
        self.fill = 0
        self.spare: List[torch.Tensor] = []
        self.shape = None


def _spare_core() -> bool:
    """True when torch's intra-op threads leave at least one of this process's CPUs idle."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return torch.get_num_threads() < cpus


class Recorder:
    """Context manager that summarises the outputs of the chosen modules on every forward pass.

    `modules=None` records every activation module (ReLU, ReLU6, Hardtanh, LeakyReLU, GELU, SiLU,
    Sigmoid, Tanh); otherwise a list of names from `model.named_modules()`. A NaN or ±Inf output is
    an error naming the module unless `nonfinite="count"`, which only counts it.

    Small outputs are copied into a per-layer buffer and summarised a chunk at a time. With
    `background=True` the summaries are computed by one background thread while the model runs
    (each output is copied first, so later in-place changes cannot reach it; at most QUEUE_LIMIT
    elements wait); it only pays when a CPU is otherwise idle, so it is off by default, and
    `None` chooses it when torch's intra-op threads leave a CPU idle. Every result is the same
    either way; summaries(), save(), all_reduce() and leaving the block wait for the pending
    work, and an error found there names its module.
    """

    def __init__(
        self,
        model: nn.Module,
        modules: Optional[List[str]] = None,
        nonfinite: str = "error",
        background: Optional[bool] = False,
    ):
        if nonfinite not in ("error", "count"):
            raise ValueError(f"Recorder: nonfinite must be 'error' or 'count', got {nonfinite!r}")
        self.model = model
        self.modules = resolve_modules(model, modules)
        self.nonfinite = nonfinite
        self.background = _spare_core() if background is None else bool(background)
        self._layers: Dict[str, _Layer] = {n: _Layer(n, type(m).__name__) for n, m in self.modules.items()}
        self._handles = []
        self.calls = 0
        self._queue: "queue.Queue" = queue.Queue()
        self._thread: Optional[threading.Thread] = None
        self._cv = threading.Condition()
        self._pending = 0
        self._error: Optional[BaseException] = None

    # ---- summarising ---------------------------------------------------------------------------
    def _summarize(self, layer: _Layer, x: torch.Tensor) -> None:
        s = layer.summary
        before = s.non_finite
        s.add(x)
        if self.nonfinite == "error" and s.non_finite != before:
            raise ValueError(
                f"Recorder: module {layer.name!r} ({layer.kind}) returned {s.non_finite - before} "
                f"NaN/Inf values (in {x.numel()} recorded values); fix the model or pass nonfinite='count'"
            )

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                self._queue.task_done()
                return
            layer, x, base = item
            try:
                if self._error is None:
                    self._summarize(layer, x)
            except BaseException as e:  # handed to the recording thread
                self._error = e
            finally:
                if base is not None:
                    layer.spare.append(base)
                with self._cv:
                    self._pending -= x.numel()
                    self._cv.notify_all()
                self._queue.task_done()

    @property
    def _async(self) -> bool:
        return self._thread is not None

    def _submit(self, layer: _Layer, x: torch.Tensor, base: Optional[torch.Tensor] = None) -> None:
        if not self._async:
            self._summarize(layer, x)
            return
        n = x.numel()
        with self._cv:
            while self._pending and self._pending + n > QUEUE_LIMIT and self._error is None:
                self._cv.wait()
            self._pending += n
        self._queue.put((layer, x, base))

    def _flush(self, layer: _Layer) -> None:
        if layer.buf is None or layer.fill == 0:
            return
        if self._async:
            self._submit(layer, layer.buf[: layer.fill], base=layer.buf)
            layer.buf = layer.spare.pop() if layer.spare else None
        else:
            self._submit(layer, layer.buf[: layer.fill])
        layer.fill = 0

    def _raise_pending(self) -> None:
        if self._error is not None:
            e, self._error = self._error, None
            raise e

    def _record(self, layer: _Layer, output: torch.Tensor) -> None:
        self._raise_pending()
        layer.shape = tuple(output.shape)
        x = output.detach().reshape(-1)
        n = x.numel()
        if n == 0:
            return
        if n >= CHUNK // 4:
            self._submit(layer, x.clone() if self._async else x)
            return
        b = layer.buf
        if b is not None and (b.dtype != x.dtype or b.device != x.device or layer.fill + n > CHUNK):
            self._flush(layer)
            b = layer.buf
            if b is not None and (b.dtype != x.dtype or b.device != x.device):
                b = layer.buf = None
                layer.spare.clear()
        if b is None:
            b = layer.buf = torch.empty(CHUNK, dtype=x.dtype, device=x.device)
        b[layer.fill : layer.fill + n].copy_(x)
        layer.fill += n

    def _drain(self) -> None:
        """Summarises everything buffered and waits for the background thread."""
        for layer in self._layers.values():
            self._flush(layer)
        if self._async:
            self._queue.join()
        for layer in self._layers.values():
            if layer.shape is not None:
                layer.summary.shape = layer.shape
        self._raise_pending()

    # ---- hooks ---------------------------------------------------------------------------------
    def _hook(self, name: str):
        layer = self._layers[name]

        def hook(module, inputs, output):
            if not isinstance(output, torch.Tensor):
                raise TypeError(
                    f"Recorder: module {name!r} ({type(module).__name__}) returned a {type(output).__name__}, "
                    "not a tensor; record modules that return one tensor"
                )
            if not output.is_floating_point():
                raise TypeError(f"Recorder: module {name!r} returned a {output.dtype} tensor, expected floating point")
            self._record(layer, output)

        return hook

    def __enter__(self) -> "Recorder":
        if self.background and self._thread is None:
            self._thread = threading.Thread(target=self._work, name="bskmq-recorder", daemon=True)
            self._thread.start()
        for name, m in self.modules.items():
            self._handles.append(m.register_forward_hook(self._hook(name)))
        return self

    def __exit__(self, exc_type, *exc) -> None:
        for h in self._handles:
            h.remove()
        self._handles = []
        try:
            if exc_type is None:
                self._drain()
        finally:
            if self._thread is not None:
                self._queue.put(None)
                self._thread.join()
                self._thread = None

    def summaries(self) -> Dict[str, Summary]:
        """{module name: Summary} of everything recorded so far (the live objects)."""
        self._drain()
        return {n: layer.summary for n, layer in self._layers.items()}

    def all_reduce(self, group=None) -> "Recorder":
        """Merges the summaries of every rank of `group`; every rank ends with the same merged result.

        A no-op when torch.distributed is not initialised. Ranks are merged in rank order on every
        rank, so all ranks hold identical summaries.
        """
        import torch.distributed as dist

        if not (dist.is_available() and dist.is_initialized()):
            return self
        self._drain()
        mine = {n: layer.summary.to_state() for n, layer in self._layers.items()}
        world = dist.get_world_size(group)
        gathered = [None] * world
        dist.all_gather_object(gathered, mine, group=group)
        names = list(mine)
        for r, other in enumerate(gathered):
            if list(other) != names:
                raise ValueError(f"Recorder.all_reduce: rank {r} recorded modules {list(other)}, this rank {names}")
        merged = {}
        for n in names:
            device = self._layers[n].summary.device
            acc = Summary(device)
            for other in gathered:
                acc.merge(Summary.from_state(other[n], device))
            merged[n] = acc
        for n, acc in merged.items():
            self._layers[n].summary = acc
            self._layers[n].shape = None
        return self

    def save(self, path) -> str:
        """Writes every recorded layer into one summary file (see save_summaries)."""
        summaries = self.summaries()
        empty = [n for n, s in summaries.items() if s.count == 0]
        if empty:
            raise ValueError(
                f"Recorder.save: {', '.join(repr(n) for n in empty)} recorded no activations "
                "(never called during the forward passes?)"
            )
        return save_summaries(summaries, path)
