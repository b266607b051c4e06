"""Designing every layer's quantizers with the project's own command line, and reading reports."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

#: The command line this package drives: bin/bskmq.mjs of the repository it sits in.
REPO = Path(__file__).resolve().parents[2]


def _cli() -> list:
    override = os.environ.get("BSKMQ_CLI")
    if override:
        return override.split()
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("design: node is not on PATH; the designs run in the project's command line (Node ≥ 20.19)")
    return [node, str(REPO / "bin" / "bskmq.mjs")]


def _flag(name: str) -> str:
    """`bandLow` → `--band-low` (a report's params' long names to the command line's flags)."""
    return "--" + re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _bits_arg(bits: Union[int, Sequence[int]]) -> str:
    if isinstance(bits, int):
        return str(bits)
    bits = list(bits)
    if not bits:
        raise ValueError("design: bits is empty; give e.g. bits=(2, 3, 4)")
    return ",".join(str(int(b)) for b in bits)


def design(path, bits: Union[int, Sequence[int]] = (2, 3, 4), methods: Optional[Iterable[str]] = None, **params) -> dict:
    """Runs `bskmq design PATH --all-tensors` and returns its parsed report.

    `params` are a report's params by their long names (`seed`, `restarts`, `bandLow`, `pin`, ...),
    passed as the command line's flags (`--seed`, `--band-low`, ...). A layer the command line could
    not design is an error naming the layer.
    """
    path = os.fspath(path)
    args = _cli() + ["design", path, "--all-tensors", "--bits", _bits_arg(bits)]
    if methods is not None:
        methods = [methods] if isinstance(methods, str) else list(methods)
        args += ["--methods", ",".join(methods)]
    for k, v in params.items():
        if v is None or v is False:
            continue
        if v is True:
            args.append(_flag(k))  # a switch such as binned=True → --binned
        else:
            args += [_flag(k), repr(float(v)) if isinstance(v, float) else str(v)]
    run = subprocess.run(args, capture_output=True, text=True, cwd=str(REPO))
    if run.returncode != 0:
        lines = [l for l in run.stderr.strip().splitlines() if l.strip()]
        raise RuntimeError(lines[-1] if lines else f"bskmq design exited with {run.returncode}")
    report = json.loads(run.stdout)
    for t in report.get("tensors", []):
        if "error" in t:
            raise RuntimeError(f"design: {path}: layer {t['input']['tensor']!r}: {t['error']}")
    return report


def load_design(path) -> dict:
    """Reads a report the command line (`design`, with or without --all-tensors) or the app exported.

    Always returns the --all-tensors shape: {"file", "format", "tensors": [report, ...]}.
    """
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise ValueError(f"load_design: {path}: not a JSON report ({e})") from None
    return normalize_design(doc, path)


def normalize_design(doc, where: str = "design") -> dict:
    if isinstance(doc, dict) and isinstance(doc.get("tensors"), list):
        return doc
    if isinstance(doc, dict) and "input" in doc and isinstance(doc.get("results"), list):
        return {"file": doc["input"].get("file"), "format": None, "tensors": [doc]}
    raise ValueError(f"{where}: not a bskmq design report (expected 'results' or 'tensors')")
