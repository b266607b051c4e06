"""The activation summary file: an .npz written by numpy's own writer, self-describing.

Member ``bskmq_summary`` is a uint8 array holding UTF-8 JSON ``{"format": "bskmq-summary",
"version": 1, "layers": [...]}``; each layer names its three bin arrays (members of the same file):
``counts`` (int64), ``sum`` and ``sumsq`` (float64, deviations from each bin's left edge). The
README's "From PyTorch" section documents every field.
"""
from __future__ import annotations

import json
import os
import zipfile
from typing import Dict, Mapping

import numpy as np

from .summary import Summary

FORMAT = "bskmq-summary"
VERSION = 1
META_MEMBER = "bskmq_summary"


class SummaryFileError(ValueError):
    """A file that is not a summary file this reader understands (the message names the file)."""


def _layer_meta(name: str, i: int, st: dict) -> dict:
    return {
        "name": name,
        "dtype": st["dtype"],
        "shape": st["shape"],
        "count": int(st["count"]),
        "nan": int(st["nan"]),
        "posinf": int(st["posinf"]),
        "neginf": int(st["neginf"]),
        "min": st["min"],
        "max": st["max"],
        "atMin": int(st["atMin"]),
        "zeros": int(st["zeros"]),
        "atMax": int(st["atMax"]),
        "binExponent": int(st["binExponent"]),
        "binOffset": int(st["binOffset"]),
        "bins": int(len(st["counts"])),
        "members": {"counts": f"counts_{i}", "sum": f"sum_{i}", "sumsq": f"sumsq_{i}"},
    }


def save_summaries(summaries: Mapping[str, Summary], path) -> str:
    """Writes every layer's summary into one .npz file at `path` (any name) and returns the path."""
    if not summaries:
        raise ValueError(f"save_summaries: nothing to write to {os.fspath(path)}: no layers")
    arrays: Dict[str, np.ndarray] = {}
    layers = []
    for i, (name, s) in enumerate(summaries.items()):
        if not isinstance(s, Summary):
            raise TypeError(f"save_summaries: layer {name!r} is a {type(s).__name__}, not a Summary")
        st = s.to_state()
        meta = _layer_meta(str(name), i, st)
        layers.append(meta)
        arrays[meta["members"]["counts"]] = np.ascontiguousarray(st["counts"], dtype=np.int64)
        arrays[meta["members"]["sum"]] = np.ascontiguousarray(st["sum"], dtype=np.float64)
        arrays[meta["members"]["sumsq"]] = np.ascontiguousarray(st["sumsq"], dtype=np.float64)
    doc = {"format": FORMAT, "version": VERSION, "writer": "bskmq_torch", "layers": layers}
    arrays[META_MEMBER] = np.frombuffer(json.dumps(doc, allow_nan=False).encode("utf-8"), dtype=np.uint8)
    path = os.fspath(path)
    # A file object keeps numpy from appending ".npz" to a name chosen by the caller.
    with open(path, "wb") as f:
        np.savez_compressed(f, **arrays)
    return path


def load_summaries(path, device="cpu") -> Dict[str, Summary]:
    """Reads a summary file (recognised by its content, whatever its name)."""
    path = os.fspath(path)
    if not zipfile.is_zipfile(path):
        raise SummaryFileError(f"{path}: not a bskmq summary file (not an .npz archive)")
    with np.load(path, allow_pickle=False) as z:
        if META_MEMBER not in z.files:
            raise SummaryFileError(f"{path}: not a bskmq summary file (no {META_MEMBER} member)")
        try:
            doc = json.loads(bytes(z[META_MEMBER]).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise SummaryFileError(f"{path}: {META_MEMBER} is not UTF-8 JSON ({e})") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise SummaryFileError(f"{path}: format is {doc.get('format') if isinstance(doc, dict) else doc!r}, expected {FORMAT!r}")
        if doc.get("version") != VERSION:
            raise SummaryFileError(f"{path}: {FORMAT} version {doc.get('version')!r}; this reader knows version {VERSION}")
        out: Dict[str, Summary] = {}
        for meta in doc.get("layers", []):
            name = meta.get("name")
            try:
                m = meta["members"]
                st = dict(meta)
                st["counts"], st["sum"], st["sumsq"] = z[m["counts"]], z[m["sum"]], z[m["sumsq"]]
            except KeyError as e:
                raise SummaryFileError(f"{path}: layer {name!r}: missing {e.args[0]!r}") from None
            if not (len(st["counts"]) == len(st["sum"]) == len(st["sumsq"]) == meta.get("bins")):
                raise SummaryFileError(f"{path}: layer {name!r}: bin arrays disagree with bins={meta.get('bins')}")
            out[name] = Summary.from_state(st, device)
        return out
