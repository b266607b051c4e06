"""Post-training quantization accuracy: record, design, and evaluate every method × bits."""
from __future__ import annotations

import json
import math
import os
import tempfile
from typing import Callable, Iterable, Optional, Sequence

import torch
import torch.nn as nn

from .design import design as run_design
from .quantize import layer_quantizers, quantized
from .recorder import Recorder

METHODS = ("linear", "cdf", "lloydmax", "kmeans", "kmeanspp", "bskmq", "optimal")


def _batch_size(item) -> int:
    return int(item.shape[0]) if isinstance(item, torch.Tensor) and item.dim() > 0 else 1


def _input_of(item):
    """A calibration item is a model input; a (input, label) pair from a labelled loader gives its input."""
    return item[0] if isinstance(item, (tuple, list)) else item


def _accuracy(value, what: str) -> float:
    a = float(value)
    if not (0.0 <= a <= 1.0) or math.isnan(a):
        raise ValueError(f"ptq: evaluate(model) returned {value!r} {what}; expected an accuracy in 0–1")
    return a


def record(model: nn.Module, calibration: Iterable, modules=None) -> tuple:
    """Runs `calibration` through `model` under a Recorder; returns (recorder, number of samples)."""
    samples = 0
    with torch.no_grad(), Recorder(model, modules) as rec:
        for item in calibration:
            x = _input_of(item)
            model(x)
            samples += _batch_size(x)
    if samples == 0:
        raise ValueError("ptq: the calibration set is empty; give at least one batch of model inputs")
    return rec, samples


def ptq_from_summaries(
    model: nn.Module,
    summary_path,
    evaluate: Callable[[nn.Module], float],
    methods: Optional[Sequence[str]] = None,
    bits: Sequence[int] = (2, 3, 4),
    calibration_samples: int = 0,
    evaluation_samples: int = 0,
    labels: bool = True,
    activations=None,
    path=None,
    **params,
) -> dict:
    """The PTQ table for a summary file already written (e.g. by a distributed recording)."""
    methods = list(METHODS if methods is None else ([methods] if isinstance(methods, str) else methods))
    bits = [int(b) for b in ([bits] if isinstance(bits, int) else bits)]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            float_acc = _accuracy(evaluate(model), "for the float model")
            rep = run_design(summary_path, bits, methods, **params)
            results = []
            for m in methods:
                for b in bits:
                    qs = layer_quantizers(rep, m, b)
                    with quantized(model, rep, m, b):
                        acc = _accuracy(evaluate(model), f"for {m} at {b} bits")
                    layers = [
                        {"name": n, "thresholds": t, "levels": l, "mse": r["mse"]} for n, (t, l, r) in qs.items()
                    ]
                    results.append({"method": m, "bits": b, "accuracy": acc, "layers": layers})
    finally:
        model.train(was_training)
    if activations is None:
        activations = [{"name": t["input"]["tensor"], "shape": []} for t in rep["tensors"]]
    params_out = dict(rep["tensors"][0]["params"]) if rep["tensors"] else {}
    params_out.pop("bits", None)
    params_out.pop("methods", None)
    table = {
        "format": "bskmq-ptq",
        "version": 1,
        "model": {"name": type(model).__name__, "activations": activations},
        "samples": {"calibration": int(calibration_samples), "evaluation": int(evaluation_samples)},
        "labels": bool(labels),
        "metric": "top1" if labels else "agreement",
        "floatAccuracy": float_acc,
        "params": params_out,
        "results": results,
    }
    if path is not None:
        with open(os.fspath(path), "w", encoding="utf-8") as f:
            json.dump(table, f, allow_nan=False)
    return table


def ptq(
    model: nn.Module,
    calibration: Iterable,
    evaluate: Callable[[nn.Module], float],
    methods: Optional[Sequence[str]] = None,
    bits: Sequence[int] = (2, 3, 4),
    modules=None,
    evaluation_samples: int = 0,
    labels: bool = True,
    summary_path=None,
    path=None,
    **params,
) -> dict:
    """Records `calibration` (an iterable of model inputs), designs every layer, and evaluates.

    For every method × bits, `evaluate(model)` (yours: returns an accuracy in 0–1) runs with the
    quantizers in place. Returns the PTQ table (format "bskmq-ptq", version 1) and writes it to
    `path` when given. `params` are design parameters by their long names (`seed`, `bandLow`, ...).
    """
    model_was_training = model.training
    model.eval()
    try:
        rec, samples = record(model, calibration, modules)
    finally:
        model.train(model_was_training)
    acts = [{"name": n, "shape": list(s.shape[1:])} for n, s in rec.summaries().items()]
    with tempfile.TemporaryDirectory() as tmp:
        sp = os.fspath(summary_path) if summary_path is not None else os.path.join(tmp, "summary.npz")
        rec.save(sp)
        return ptq_from_summaries(
            model, sp, evaluate, methods, bits, samples, evaluation_samples, labels, acts, path, **params
        )
