"""One layer's activations as a fixed-size, exactly mergeable summary.

A summary keeps the sample count, the non-finite counts (NaN, +Inf, −Inf), the finite min and max,
how many samples are exactly the min, exactly zero and exactly the max (the boundary spikes), and a
histogram of every finite sample whose bins have power-of-two width ``w = 2**exponent`` and are
aligned to multiples of it: bin ``i`` covers ``[i*w, (i+1)*w)``. A bin keeps its count (int64) and
the sum and sum of squares of its samples' deviations from its left edge (float64; the deviation of
a float32 sample from an aligned edge is exact). The spikes are counted inside the bins too, so the
bins merge by plain addition; a reader takes the spikes out of their bins to make them exact points.

The exponent is a function of the range alone (the smallest that fits ``[min, max]`` into at most
``MAX_BINS`` bins, and monotone in the range), so a summary of a whole equals the merge of the
summaries of its parts: the parts' bins are coarsened (pairs of neighbours merged) to the whole's
exponent and added. Counts are exact; the sums are held as compensated (hi, lo) pairs, so merging
adds no rounding beyond the last bit, in any order. Everything runs on the tensor's own device; only
scalars (min, max, counts) reach the host.
"""
from __future__ import annotations

import math
import threading
from fractions import Fraction
from typing import Optional, Tuple

import torch

#: Most bins a summary keeps (the window between its lowest and highest bin).
MAX_BINS = 1 << 16
#: Samples binned per step: bounds the per-thread scratch buffers (about 24 bytes a sample).
SLICE = 1 << 18
#: Smallest bin exponent (the width of the finest bin is 2**-1074, the smallest double).
MIN_EXPONENT = -1074


_SCRATCH = threading.local()


def _scratch(device: torch.device, dtype: torch.dtype, role: str, n: int) -> torch.Tensor:
    """A reusable buffer of at least n elements for this thread, so slices do not allocate."""
    bufs = getattr(_SCRATCH, "bufs", None)
    if bufs is None:
        bufs = _SCRATCH.bufs = {}
    key = (device, dtype, role)
    b = bufs.get(key)
    if b is None or b.numel() < n:
        b = bufs[key] = torch.empty(n, dtype=dtype, device=device)
    return b


def _count_equal(x: torch.Tensor, values) -> list:
    """How many elements of `x` equal each of `values`, exactly, in one pass over slices."""
    wd = x.dtype if x.dtype in (torch.float32, torch.float64) else torch.float64
    q = _scratch(x.device, wd, "q", min(x.numel(), SLICE))
    acc = [[] for _ in values]
    for i in range(0, x.numel(), SLICE):
        xs = x[i : i + SLICE]
        for a, v in zip(acc, values):
            a.append(torch.eq(xs, v, out=q[: xs.numel()]).sum().to(torch.float64))
    return [int(c) for c in torch.stack([torch.stack(a).sum() for a in acc]).tolist()]


def _two_sum(a: torch.Tensor, b: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """s + err == a + b exactly (Knuth's TwoSum), elementwise in float64."""
    s = a + b
    bb = s - a
    err = (a - (s - bb)) + (b - bb)
    return s, err


def _scale(x: torch.Tensor, k: int) -> torch.Tensor:
    """x · 2**k, in two steps when 2**k alone would overflow a double."""
    if k > 1000:
        return (x * math.ldexp(1.0, k - 600)) * math.ldexp(1.0, 600)
    return x * math.ldexp(1.0, k)


def _scale_(x: torch.Tensor, k: int) -> torch.Tensor:
    """x *= 2**k in place (two steps when 2**k alone would overflow or underflow a double)."""
    if k > 1000:
        return x.mul_(math.ldexp(1.0, k - 600)).mul_(math.ldexp(1.0, 600))
    if k < -1000:
        return x.mul_(math.ldexp(1.0, k + 600)).mul_(math.ldexp(1.0, -600))
    return x.mul_(math.ldexp(1.0, k))


class _Compensated:
    """A float64 array held as hi + lo, so that sums of many parts keep full precision."""

    __slots__ = ("hi", "lo")

    def __init__(self, hi: torch.Tensor, lo: Optional[torch.Tensor] = None):
        self.hi = hi
        self.lo = torch.zeros_like(hi) if lo is None else lo

    def add_(self, v: torch.Tensor) -> None:
        s, err = _two_sum(self.hi, v)
        self.hi = s
        self.lo = self.lo + err

    def add_at(self, sl: slice, v: torch.Tensor) -> None:
        """hi + lo += v on bins `sl`, in place (TwoSum into scratch buffers; `v` is consumed)."""
        hi, lo = self.hi[sl], self.lo[sl]
        n = hi.numel()
        s = torch.add(hi, v, out=_scratch(hi.device, torch.float64, "two_sum_s", n)[:n])
        bb = torch.sub(s, hi, out=_scratch(hi.device, torch.float64, "two_sum_b", n)[:n])
        a = torch.sub(s, bb, out=_scratch(hi.device, torch.float64, "two_sum_a", n)[:n])
        torch.sub(hi, a, out=a)
        v.sub_(bb)
        lo.add_(a.add_(v))
        hi.copy_(s)

    def value(self) -> torch.Tensor:
        return self.hi + self.lo


def _exponent_for(lo: float, hi: float) -> int:
    """Smallest bin exponent whose aligned bins cover [lo, hi] in at most MAX_BINS bins.

    Also large enough that every bin index stays below 2**52 in magnitude, so indices are exact in
    int64 and bin edges exact in float64. Monotone in the range, which is what makes merging exact:
    a part's exponent never exceeds the whole's.
    """
    m = max(abs(lo), abs(hi))
    e = MIN_EXPONENT
    if m > 0:
        e = max(e, math.frexp(m)[1] - 52)
    span = hi - lo
    if span > 0 and math.isfinite(span):
        # span < 2**k: at exponent k - 18 it would need more than 2**17 bins, so start at k - 17.
        e = max(e, math.frexp(span)[1] - 17)
    while math.floor(math.ldexp(hi, -e)) - math.floor(math.ldexp(lo, -e)) + 1 > MAX_BINS:
        e += 1
    return e


class Summary:
    """Summary of the activations of one layer (see the module docstring)."""

    def __init__(self, device: torch.device | str = "cpu", dtype: str = "float32", shape: Tuple[int, ...] = ()):
        self.device = torch.device(device)
        #: dtype of the summarised tensors (the first one seen) and the shape of the last one.
        self.dtype = dtype
        self.shape = tuple(shape)
        self.count = 0
        self.nan = 0
        self.posinf = 0
        self.neginf = 0
        self.zeros = 0
        self.min = math.inf
        self.max = -math.inf
        self.at_min = 0
        self.at_max = 0
        self.exponent = MIN_EXPONENT
        #: Index of the first bin of the window (bins offset .. offset + len(counts) - 1).
        self.offset = 0
        self.counts = torch.zeros(0, dtype=torch.int64, device=self.device)
        self._sum = _Compensated(torch.zeros(0, dtype=torch.float64, device=self.device))
        self._sumsq = _Compensated(torch.zeros(0, dtype=torch.float64, device=self.device))

    # ---- what the summary says -------------------------------------------------------------
    @property
    def finite(self) -> int:
        return self.count - self.nan - self.posinf - self.neginf

    @property
    def non_finite(self) -> int:
        return self.nan + self.posinf + self.neginf

    @property
    def bins(self) -> int:
        return int(self.counts.numel())

    @property
    def width(self) -> float:
        return math.ldexp(1.0, self.exponent)

    def bin_sums(self) -> Tuple[torch.Tensor, torch.Tensor]:
        """Per bin: Σ(x − left edge) and Σ(x − left edge)² in float64."""
        return self._sum.value(), self._sumsq.value()

    def edges(self) -> torch.Tensor:
        """Left edge of every bin of the window (float64)."""
        idx = torch.arange(self.bins, dtype=torch.float64, device=self.device) + float(self.offset)
        return idx * self.width

    def spikes(self):
        """The boundary spikes as exact points: sorted [(value, count)] of the min, zero and the max."""
        out = {}
        if self.at_min:
            out[self.min] = self.at_min
        if self.zeros:
            out[0.0] = self.zeros
        if self.at_max:
            out[self.max] = self.at_max
        return sorted(out.items())

    def moments(self) -> Tuple[float, float]:
        """Mean and population standard deviation of the finite samples."""
        n = self.finite
        if n == 0:
            return math.nan, math.nan
        s, ss = self.bin_sums()
        c = self.counts.to(torch.float64)
        edges = self.edges()
        mean = float((s + c * edges).sum()) / n
        # Second pass about the mean, so the squares do not cancel.
        e0 = edges - mean
        var = float((ss + 2 * e0 * s + c * e0 * e0).sum()) / n
        return mean, math.sqrt(max(var, 0.0))

    # ---- building -----------------------------------------------------------------------------
    def _empty_like_window(self, bins: int):
        z = torch.zeros(bins, dtype=torch.float64, device=self.device)
        return torch.zeros(bins, dtype=torch.int64, device=self.device), _Compensated(z.clone()), _Compensated(z.clone())

    def _rebin(self, exponent: int, offset: int, bins: int) -> None:
        """Moves the bins onto a window at `exponent` (≥ the current one) starting at `offset`."""
        if exponent == self.exponent and offset == self.offset and bins == self.bins:
            return
        counts, s, ss = self._empty_like_window(bins)
        if self.bins:
            k = exponent - self.exponent
            old = torch.arange(self.bins, dtype=torch.int64, device=self.device)
            if k == 0:
                parent = old + (self.offset - offset)
                delta = torch.zeros(self.bins, dtype=torch.float64, device=self.device)
            elif k < 47:
                # Child bin i = offset_old + r goes to parent floor(i / 2**k), whose left edge lies
                # (i − parent·2**k)·2**e_old below the child's: exact in int64 and float64.
                base, rem = divmod(self.offset, 1 << k)
                carry = torch.div(old + rem, 1 << k, rounding_mode="floor")
                parent = carry + (base - offset)
                delta = ((old + rem) - carry * (1 << k)).to(torch.float64) * self.width
            else:
                # The range grew by more than 2**47: at most two parents, offsets rounded once.
                base, rem = divmod(self.offset, 1 << k)
                # The first child of the second parent; beyond the window (often by far more than
                # int64 holds, after a first part of a single value) there is no second parent.
                carry = (old >= min((1 << k) - rem, self.bins)).to(torch.int64)
                parent = carry + (base - offset)
                rem_value = float(Fraction(rem) * Fraction(2) ** self.exponent)
                delta = rem_value + old.to(torch.float64) * self.width - carry.to(torch.float64) * math.ldexp(1.0, exponent)
            c_old = self.counts
            s_old, ss_old = self.bin_sums()
            cf = c_old.to(torch.float64)
            s_new = s_old + cf * delta
            ss_new = ss_old + 2 * delta * s_old + cf * delta * delta
            counts.index_add_(0, parent, c_old)
            s.hi.index_add_(0, parent, s_new)
            ss.hi.index_add_(0, parent, ss_new)
        self.exponent, self.offset = exponent, offset
        self.counts, self._sum, self._sumsq = counts, s, ss

    def _fit(self, lo: float, hi: float) -> None:
        """Makes the window cover [lo, hi] (coarsening when needed)."""
        if not (hi >= lo):
            return
        e = max(_exponent_for(lo, hi), self.exponent)
        first = math.floor(math.ldexp(lo, -e))
        last = math.floor(math.ldexp(hi, -e))
        self._rebin(e, first, last - first + 1)

    def _bins_of(self, x: torch.Tensor, mn: float, mx: float):
        """(first bin, counts, Σv, Σv²) of finite samples `x` in [mn, mx], v = (x − edge) / width.

        One floor per sample gives both its bin and its deviation from the bin's left edge, in units
        of the bin width: v = t − floor(t) with t = x / width, exact in the tensor's own precision
        (a power-of-two scaling, then the fraction of a float) except just below zero, where
        t + 1 would round; there v = t is kept, measured from the right edge 0, and the bin's sums
        are moved to its left edge afterwards. Far from zero (bin indices beyond 2**22, where every
        float32 sample is an integer multiple of the width) t is first shifted by the first bin,
        exactly. Float32 is kept unless the width leaves float32's exponent range; the sums are
        accumulated in float64. Slices of at most SLICE samples reuse per-thread scratch buffers.
        """
        e = self.exponent
        first = math.floor(math.ldexp(mn, -e))
        last = math.floor(math.ldexp(mx, -e))
        nb = last - first + 1
        wd = torch.float32 if (x.dtype == torch.float32 and -126 <= e <= 126) else torch.float64
        shift = max(abs(first), abs(last)) >= (1 << 22)
        below_zero = first <= -1 <= last
        n = x.numel()
        m = min(n, SLICE)
        t_buf = _scratch(x.device, wd, "t", m)
        f_buf = _scratch(x.device, wd, "f", m)
        k_buf = _scratch(x.device, torch.int32, "k", m)
        v_buf = t_buf if wd == torch.float64 else _scratch(x.device, torch.float64, "v", m)
        # Comparisons write 0/1 into a float buffer and are summed there: exact below 2**24 per
        # slice, and much faster than summing a bool tensor.
        q_buf = _scratch(x.device, wd, "q", m)
        has_zero = mn <= 0 <= mx
        zeros = []
        counts = s = ss = None
        for i in range(0, n, SLICE):
            xs = x[i : i + SLICE]
            j = xs.numel()
            t, f, k, v = t_buf[:j], f_buf[:j], k_buf[:j], v_buf[:j]
            if abs(e) > 1000:
                t.copy_(_scale(xs.to(wd), -e))
            elif xs.dtype == wd:
                torch.mul(xs, math.ldexp(1.0, -e), out=t)
            else:
                t.copy_(xs)
                t.mul_(math.ldexp(1.0, -e))
            if shift:
                # Every sample is within 2**17 of `first` and of the same sign: exact (Sterbenz).
                t.sub_(first)
                torch.floor(t, out=f)
                k.copy_(f)
            elif first >= 0:
                # Non-negative: truncation is the floor, and frac() the deviation.
                k.copy_(t)
                if first:
                    k.sub_(first)
                t.frac_()
                f = None
            else:
                torch.floor(t, out=f)
                k.copy_(f)
                k.sub_(first)
                if below_zero:
                    q = q_buf[:j]
                    torch.eq(f, -1, out=q)
                    f.add_(q)
            if has_zero:
                zeros.append(torch.eq(xs, 0, out=q_buf[:j]).sum())
            if f is not None:
                t.sub_(f)
            if v is not t:
                v.copy_(t)
            c = torch.bincount(k, minlength=nb)
            s1 = torch.bincount(k, weights=v, minlength=nb)
            s2 = torch.bincount(k, weights=v.mul_(v), minlength=nb)
            if counts is None:
                counts, s, ss = c, s1, s2
            else:
                counts += c
                s += s1
                ss += s2
        if below_zero:
            j = -1 - first
            c = counts[j : j + 1].to(torch.float64)
            ss[j : j + 1] += 2 * s[j : j + 1] + c
            s[j : j + 1] += c
        zero = torch.stack(zeros).sum() if zeros else None
        return first, counts, s, ss, zero

    def _count_spikes(self, x, mn, mx, first, counts, s, zero):
        """(zeros, samples equal to mn, samples equal to mx) of finite `x`, exact.

        A pass over the samples is spent only when the bins cannot tell: the max is the only
        sample of its bin, or lies on a bin edge (then its bin [mx, mx + width) holds only it);
        likewise the min, or every sample of its bin sits on the edge (their deviations sum to 0).
        """
        e = self.exponent
        on_edge = [math.floor(math.ldexp(v, -e)) == math.ldexp(v, -e) for v in (mn, mx)]
        probe = [counts[0], counts[-1], s[0], zero if zero is not None else counts[0]]
        ends0, ends1, s_first, n_zero = torch.stack([p.to(torch.float64) for p in probe]).tolist()
        ends0, ends1 = int(ends0), int(ends1)
        n_zero = int(n_zero) if zero is not None else 0
        n_mn = n_mx = None
        if mn == 0:
            n_mn = n_zero
        elif ends0 == 1:
            n_mn = 1
        elif on_edge[0] and first != -1 and s_first == 0:
            n_mn = ends0
        if mx == mn:
            n_mx = n_mn
        elif mx == 0:
            n_mx = n_zero
        elif ends1 == 1 or on_edge[1]:
            n_mx = ends1
        ask = [v for v, known in ((mn, n_mn), (mx, n_mx)) if known is None]
        if ask:
            got = dict(zip(ask, _count_equal(x, ask)))
            n_mn = got.get(mn, n_mn) if n_mn is None else n_mn
            n_mx = n_mn if mx == mn else (got.get(mx) if n_mx is None else n_mx)
        return n_zero, n_mn, n_mx

    def add(self, tensor: torch.Tensor) -> "Summary":
        """Adds every element of `tensor` (any float dtype) on the tensor's own device."""
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"expected a torch.Tensor, got {type(tensor).__name__}")
        if not tensor.is_floating_point():
            raise TypeError(f"expected a floating-point tensor, got dtype {str(tensor.dtype).replace('torch.', '')}")
        x = tensor.detach().reshape(-1)
        if self.count == 0:
            shape = self.shape
            self.__init__(x.device, str(tensor.dtype).replace("torch.", ""), shape)
        elif x.device != self.device:
            x = x.to(self.device)
        self.shape = tuple(tensor.shape)
        if x.dtype in (torch.float16, torch.bfloat16):
            # Exact, and every reduction below exists for float32 on every device.
            x = x.float()
        n = x.numel()
        if n == 0:
            return self
        mn, mx = torch.stack(list(torch.aminmax(x))).tolist()
        if not (math.isfinite(mn) and math.isfinite(mx)):
            nan = torch.isnan(x)
            pinf = x == math.inf
            ninf = x == -math.inf
            self.nan += int(nan.sum())
            self.posinf += int(pinf.sum())
            self.neginf += int(ninf.sum())
            x = x[~(nan | pinf | ninf)]
            if x.numel() == 0:
                self.count += n
                return self
            mn, mx = torch.stack(list(torch.aminmax(x))).tolist()
        lo, hi = min(self.min, mn), max(self.max, mx)
        self._fit(lo, hi)
        first, counts, s, ss, zero = self._bins_of(x, mn, mx)
        n_zero, n_mn, n_mx = self._count_spikes(x, mn, mx, first, counts, s, zero)
        e = self.exponent
        _scale_(s, e)
        _scale_(_scale_(ss, e), e)
        sl = slice(first - self.offset, first - self.offset + counts.numel())
        self.counts[sl] += counts
        self._sum.add_at(sl, s)
        self._sumsq.add_at(sl, ss)
        self.count += n
        self.zeros += n_zero
        self.at_min = (self.at_min if self.min == lo else 0) + (n_mn if mn == lo else 0)
        self.at_max = (self.at_max if self.max == hi else 0) + (n_mx if mx == hi else 0)
        self.min, self.max = lo, hi
        return self

    def merge(self, other: "Summary") -> "Summary":
        """Adds `other` into this summary (in place) and returns it; the order of merges does not matter."""
        if not isinstance(other, Summary):
            raise TypeError(f"can only merge a Summary, got {type(other).__name__}")
        if other.count == 0:
            return self
        if self.count == 0:
            self.dtype = other.dtype
        if other.shape:
            self.shape = other.shape
        o = other.to(self.device)
        self.count += o.count
        self.nan += o.nan
        self.posinf += o.posinf
        self.neginf += o.neginf
        if o.finite == 0:
            return self
        lo, hi = min(self.min, o.min), max(self.max, o.max)
        self._fit(lo, hi)
        o2 = o.copy()
        o2._fit(lo, hi)
        self.counts = self.counts + o2.counts
        self._sum.add_(o2._sum.hi)
        self._sum.lo = self._sum.lo + o2._sum.lo
        self._sumsq.add_(o2._sumsq.hi)
        self._sumsq.lo = self._sumsq.lo + o2._sumsq.lo
        self.zeros += o.zeros
        self.at_min = (self.at_min if self.min == lo else 0) + (o.at_min if o.min == lo else 0)
        self.at_max = (self.at_max if self.max == hi else 0) + (o.at_max if o.max == hi else 0)
        self.min, self.max = lo, hi
        return self

    def copy(self) -> "Summary":
        c = Summary(self.device, self.dtype, self.shape)
        for k in ("count", "nan", "posinf", "neginf", "zeros", "min", "max", "at_min", "at_max", "exponent", "offset"):
            setattr(c, k, getattr(self, k))
        c.counts = self.counts.clone()
        c._sum = _Compensated(self._sum.hi.clone(), self._sum.lo.clone())
        c._sumsq = _Compensated(self._sumsq.hi.clone(), self._sumsq.lo.clone())
        return c

    def to(self, device) -> "Summary":
        device = torch.device(device)
        if device == self.device:
            return self
        c = self.copy()
        c.device = device
        c.counts = c.counts.to(device)
        c._sum = _Compensated(c._sum.hi.to(device), c._sum.lo.to(device))
        c._sumsq = _Compensated(c._sumsq.hi.to(device), c._sumsq.lo.to(device))
        return c

    # ---- plain data (files, torch.distributed) -------------------------------------------------
    def to_state(self) -> dict:
        """Plain Python/numpy data, bins trimmed to the occupied ones."""
        s, ss = self.bin_sums()
        counts = self.counts
        first = 0
        last = self.bins
        nz = torch.nonzero(counts).reshape(-1)
        if nz.numel():
            first, last = int(nz[0]), int(nz[-1]) + 1
        else:
            first = last = 0
        return {
            "dtype": self.dtype,
            "shape": list(self.shape),
            "count": self.count,
            "nan": self.nan,
            "posinf": self.posinf,
            "neginf": self.neginf,
            "zeros": self.zeros,
            "min": self.min if self.finite else None,
            "max": self.max if self.finite else None,
            "atMin": self.at_min,
            "atMax": self.at_max,
            "binExponent": self.exponent,
            "binOffset": self.offset + first,
            "counts": counts[first:last].cpu().numpy(),
            "sum": s[first:last].cpu().numpy(),
            "sumsq": ss[first:last].cpu().numpy(),
        }

    @classmethod
    def from_state(cls, st: dict, device="cpu") -> "Summary":
        c = cls(device, st["dtype"], tuple(st["shape"]))
        c.count, c.nan, c.posinf, c.neginf, c.zeros = st["count"], st["nan"], st["posinf"], st["neginf"], st["zeros"]
        c.min = math.inf if st["min"] is None else float(st["min"])
        c.max = -math.inf if st["max"] is None else float(st["max"])
        c.at_min, c.at_max = st["atMin"], st["atMax"]
        c.exponent, c.offset = int(st["binExponent"]), int(st["binOffset"])
        c.counts = torch.as_tensor(st["counts"], dtype=torch.int64, device=c.device).clone()
        c._sum = _Compensated(torch.as_tensor(st["sum"], dtype=torch.float64, device=c.device).clone())
        c._sumsq = _Compensated(torch.as_tensor(st["sumsq"], dtype=torch.float64, device=c.device).clone())
        return c

    def __repr__(self) -> str:
        return (
            f"Summary(count={self.count}, nonFinite={self.non_finite}, min={self.min}, max={self.max}, "
            f"zeros={self.zeros}, bins={self.bins} of width 2**{self.exponent})"
        )


def summarize(tensor: torch.Tensor) -> Summary:
    """Summary of every element of one tensor, computed on the tensor's device."""
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"summarize: expected a torch.Tensor, got {type(tensor).__name__}")
    return Summary(tensor.device).add(tensor)
