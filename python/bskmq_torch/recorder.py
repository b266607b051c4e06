"""Recording activation summaries from a live model with forward hooks."""
from __future__ import annotations

import atexit
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
#: With the background thread a layer's buffer is handed over once it holds this many elements, so
#: summarising overlaps the forward passes instead of waiting for the end.
HANDOFF = 1 << 19
#: Most elements waiting for the background thread; a hook waits when more would be queued.
QUEUE_LIMIT = 1 << 24


class _Worker:
    """The one background thread every Recorder shares.

    Shared so that its scratch buffers (per thread, see summary.py) and the chunk buffers in
    `_POOL` stay allocated from one recording to the next: fresh pages cost more than summarising
    a small model's activations.
    """

    _lock = threading.Lock()
    _queue: "Optional[queue.Queue]" = None
    _thread: Optional[threading.Thread] = None
    #: The process that started the thread: a forked child has the queue but not the thread.
    _pid = 0

    @classmethod
    def submit(cls, job) -> None:
        with cls._lock:
            if cls._queue is None or cls._pid != os.getpid():
                cls._pid = os.getpid()
                cls._queue = queue.Queue()
                cls._thread = threading.Thread(target=cls._run, args=(cls._queue,), name="bskmq-recorder", daemon=True)
                cls._thread.start()
                # A thread still inside torch when the interpreter exits aborts the process.
                atexit.register(cls.stop)
            cls._queue.put(job)

    @classmethod
    def stop(cls) -> None:
        with cls._lock:
            q, t, cls._queue, cls._thread = cls._queue, cls._thread, None, None
        if q is not None:
            q.put(None)
            t.join()

    @staticmethod
    def _run(q: "queue.Queue") -> None:
        while True:
            job = q.get()
            if job is None:
                return
            job()


#: Free chunk buffers by (dtype, device), reused by later recordings.
_POOL: Dict[tuple, List[torch.Tensor]] = {}


def _take_buffer(dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    free = _POOL.get((dtype, device))
    return free.pop() if free else torch.empty(CHUNK, dtype=dtype, device=device)


def _give_buffer(b: torch.Tensor) -> None:
    free = _POOL.setdefault((b.dtype, b.device), [])
    if len(free) < 8:
        free.append(b)


class _Layer:
    __slots__ = ("name", "kind", "summary", "buf", "fill", "shape")

    def __init__(self, name: str, kind: str):
        self.name, self.kind = name, kind
        self.summary = Summary()
        self.buf: Optional[torch.Tensor] = None
        self.fill = 0
        self.shape = None


def _spare_core() -> bool:
    """True when torch's intra-op threads leave one of this process's CPUs idle, and the machine's
    load (over the last minute) leaves it idle too: on a busy machine the thread only contends."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = 0.0
    threads = torch.get_num_threads()
    return threads < cpus and load < cpus - threads + 0.5


class Recorder:
    """Context manager that summarises the outputs of the chosen modules on every forward pass.

    `modules=None` records every activation module (ReLU, ReLU6, Hardtanh, LeakyReLU, GELU, SiLU,
    Sigmoid, Tanh); otherwise a list of names from `model.named_modules()`. A NaN or ±Inf output is
    an error naming the module unless `nonfinite="count"`, which only counts it.

    Small outputs are copied into a per-layer buffer and summarised a chunk at a time. With
    `background=True` the summaries are computed by a background thread while the model runs
    (each output is copied first, so later in-place changes cannot reach it; at most QUEUE_LIMIT
    elements wait). That pays only when a CPU is otherwise idle, so the default, `None`, chooses
    it when torch's intra-op threads and the machine's load leave one of the process's CPUs free.
    Every result is the same either way; summaries(), save(), all_reduce() and leaving the block
    wait for the pending work, and an error found there names its module.
    """

    def __init__(
        self,
        model: nn.Module,
        modules: Optional[List[str]] = None,
        nonfinite: str = "error",
        background: Optional[bool] = None,
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

    def _job(self, layer: _Layer, x: torch.Tensor, base: Optional[torch.Tensor]):
        def run() -> None:
            try:
                if self._error is None:
                    self._summarize(layer, x)
            except BaseException as e:  # handed to the recording thread
                self._error = e
            finally:
                if base is not None:
                    _give_buffer(base)
                with self._cv:
                    self._pending -= x.numel()
                    self._cv.notify_all()

        return run

    def _submit(self, layer: _Layer, x: torch.Tensor, base: Optional[torch.Tensor] = None) -> None:
        if not self.background:
            self._summarize(layer, x)
            return
        n = x.numel()
        with self._cv:
            while self._pending and self._pending + n > QUEUE_LIMIT and self._error is None:
                self._cv.wait()
            self._pending += n
        _Worker.submit(self._job(layer, x, base))

    def _flush(self, layer: _Layer) -> None:
        if layer.buf is None or layer.fill == 0:
            return
        if self.background:
            self._submit(layer, layer.buf[: layer.fill], base=layer.buf)
            layer.buf = None
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
            self._submit(layer, x.clone() if self.background else x)
            return
        b = layer.buf
        if b is not None and (b.dtype != x.dtype or b.device != x.device or layer.fill + n > CHUNK):
            self._flush(layer)
            b = layer.buf
        if b is None:
            b = layer.buf = _take_buffer(x.dtype, x.device)
        b[layer.fill : layer.fill + n].copy_(x)
        layer.fill += n
        if self.background and layer.fill >= HANDOFF:
            self._flush(layer)

    def _drain(self) -> None:
        """Summarises everything buffered and waits for the background work."""
        for layer in self._layers.values():
            self._flush(layer)
        with self._cv:
            while self._pending:
                self._cv.wait()
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
        for name, m in self.modules.items():
            self._handles.append(m.register_forward_hook(self._hook(name)))
        return self

    def __exit__(self, exc_type, *exc) -> None:
        for h in self._handles:
            h.remove()
        self._handles = []
        if exc_type is None:
            self._drain()
        else:
            # Let pending work finish before the summaries' owner unwinds; its errors are moot.
            with self._cv:
                while self._pending:
                    self._cv.wait()

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
