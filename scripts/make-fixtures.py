#!/usr/bin/python3
"""Writes the format fixtures of test/fixtures/formats/ with the real writers, plus manifest.json.

Run with a Python that has NumPy and PyTorch (Debian: `apt-get install python3-numpy python3-torch`,
then `/usr/bin/python3 scripts/make-fixtures.py`). safetensors files are written by hand from the
published format (8-byte little-endian header length, JSON header, data), so the `safetensors`
package is not needed.

The manifest records, at write time, each tensor's shape, dtype, count, the float64 sum of its finite
values, the number of non-finite values and its first elements in logical C order, so the tests
compare every decoded tensor with what the writer stored. `bad` lists deliberately broken files with
a fragment the error message must contain.
"""
import io
import json
import math
import os
import struct
import sys
import zipfile
from collections import OrderedDict

import numpy as np

try:
    import torch
except ImportError:  # pragma: no cover
    torch = None

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'formats')
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20240611)
manifest = {'files': {}, 'bad': {}}

FIRST = 8


def describe(name, arr, dtype_name=None):
    """Manifest entry of one tensor (a NumPy array in logical order)."""
    a = np.asarray(arr)
    flat = a.reshape(-1)
    as64 = flat.astype(np.float64) if flat.dtype != np.bool_ else flat.astype(np.float64)
    finite = as64[np.isfinite(as64)]
    return {
        'name': name,
        'shape': list(a.shape),
        'dtype': dtype_name or numpy_dtype_name(a.dtype),
        'count': int(flat.size),
        'sum': math.fsum(finite.tolist()),
        'nonFinite': int(flat.size - finite.size),
        'first': [json_number(v) for v in as64[:FIRST].tolist()],
        'last': json_number(as64[-1]) if flat.size else None,
    }


def json_number(v):
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return v


def numpy_dtype_name(dt):
    dt = np.dtype(dt)
    if dt == np.bool_:
        return 'bool'
    return dt.newbyteorder('=').name


def record(file, fmt, tensors, **extra):
    entry = {'format': fmt, 'tensors': tensors}
    entry.update(extra)
    manifest['files'][file] = entry


def path(name):
    return os.path.join(OUT, name)


# ---------------------------------------------------------------- npy
def relu_like(n, dtype=np.float32):
    x = rng.normal(0.2, 1.0, n)
    x[x < 0] = 0
    x[x > 2.5] = 2.5
    return x.astype(dtype)


npy_arrays = {
    'f32_c.npy': rng.normal(size=(3, 4, 5)).astype(np.float32),
    'f64.npy': rng.normal(size=(7,)).astype(np.float64) * 1e3,
    'f16.npy': rng.normal(size=(4, 4)).astype(np.float16),
    'i8.npy': rng.integers(-128, 128, size=(10,), dtype=np.int8),
    'u8.npy': rng.integers(0, 256, size=(2, 5), dtype=np.uint8),
    'i16.npy': rng.integers(-30000, 30000, size=(9,), dtype=np.int16),
    'u16.npy': rng.integers(0, 65535, size=(9,), dtype=np.uint16),
    'i32.npy': rng.integers(-2**31, 2**31 - 1, size=(6,), dtype=np.int32),
    'u32.npy': rng.integers(0, 2**32 - 1, size=(6,), dtype=np.uint32),
    'i64.npy': np.array([-2**53, -5, 0, 7, 2**40 + 3, 2**53], dtype=np.int64),
    'u64.npy': np.array([0, 1, 2**32 + 5, 2**52 + 1], dtype=np.uint64),
    'bool.npy': np.array([[True, False, True], [False, False, True]]),
    'f32_be.npy': rng.normal(size=(5, 3)).astype('>f4'),
    'f64_be.npy': rng.normal(size=(4,)).astype('>f8'),
    'f16_be.npy': rng.normal(size=(6,)).astype('>f2'),
    'i32_be.npy': rng.integers(-1000, 1000, size=(5,)).astype('>i4'),
    'u16_be.npy': rng.integers(0, 60000, size=(5,)).astype('>u2'),
    'i64_be.npy': np.array([-3, 2**40, 9], dtype='>i8'),
    'f32_fortran.npy': np.asfortranarray(rng.normal(size=(4, 6)).astype(np.float32)),
    'f64_fortran_3d.npy': np.asfortranarray(np.arange(24, dtype=np.float64).reshape(2, 3, 4)),
    'i16_be_fortran.npy': np.asfortranarray(np.arange(12).reshape(3, 4)).astype('>i2', order='F'),
    'scalar0d.npy': np.array(3.5, dtype=np.float64),
    'empty.npy': np.zeros((0, 3), dtype=np.float32),
    'allnan.npy': np.full((10,), np.nan, dtype=np.float32),
    'nonfinite.npy': np.array([1.0, np.nan, -np.inf, 2.0, np.inf, -0.5], dtype=np.float32),
    'relu_10k.npy': relu_like(10000),
}
for name, arr in npy_arrays.items():
    np.save(path(name), arr)
    record(name, 'npy', [describe(name[:-4], arr)], fortran=bool(arr.flags.f_contiguous and arr.ndim > 1))

for version in [(2, 0), (3, 0)]:
    name = 'v%d.npy' % version[0]
    arr = rng.normal(size=(3, 2)).astype(np.float32)
    with open(path(name), 'wb') as f:
        np.lib.format.write_array(f, arr, version=version)
    record(name, 'npy', [describe(name[:-4], arr)])

# ---------------------------------------------------------------- npz
a = rng.normal(size=(20, 3)).astype(np.float32)
b = np.arange(10, dtype=np.int16)
c = relu_like(500, np.float16).astype('>f2')
np.savez(path('stored.npz'), a=a, b=b)
record('stored.npz', 'npz', [describe('a', a), describe('b', b)])
d = relu_like(4000)
np.savez_compressed(path('deflated.npz'), x=d, y=b, z=c, w=np.asfortranarray(a))
record('deflated.npz', 'npz', [describe('x', d), describe('y', b), describe('z', c), describe('w', a)])


# ---------------------------------------------------------------- safetensors
def bf16_bytes(x32):
    """Truncating float32 → bfloat16 (round to nearest even), as torch does."""
    u = np.asarray(x32, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    return rounded


def bf16_values(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def write_safetensors(name, tensors, metadata=None):
    header = {}
    blobs = []
    offset = 0
    for key, (dtype, shape, raw) in tensors.items():
        header[key] = {'dtype': dtype, 'shape': list(shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header['__metadata__'] = metadata
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path(name), 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


st = OrderedDict()
st_desc = []
st_src = {
    'F64': ('float64', rng.normal(size=(3, 2)).astype('<f8')),
    'F32': ('float32', relu_like(24).reshape(4, 6).astype('<f4')),
    'F16': ('float16', rng.normal(size=(5,)).astype('<f2')),
    'I8': ('int8', rng.integers(-128, 128, size=(4,), dtype=np.int8)),
    'U8': ('uint8', rng.integers(0, 256, size=(4,), dtype=np.uint8)),
    'I16': ('int16', rng.integers(-3000, 3000, size=(2, 2)).astype('<i2')),
    'I32': ('int32', rng.integers(-10**9, 10**9, size=(3,)).astype('<i4')),
    'I64': ('int64', np.array([-2**50, 3, 2**33], dtype='<i8')),
}
for st_dtype, (dname, arr) in st_src.items():
    key = 'layer.%s' % st_dtype.lower()
    st[key] = (st_dtype, arr.shape, arr.tobytes())
    st_desc.append(describe(key, arr, dname))
bf_src = rng.normal(size=(2, 3)).astype(np.float32)
bf_bits = bf16_bytes(bf_src).astype('<u2')
st['layer.bf16'] = ('BF16', bf_src.shape, bf_bits.tobytes())
st_desc.append(describe('layer.bf16', bf16_values(bf_bits), 'bfloat16'))
st['scalar'] = ('F32', (), np.array(1.25, dtype='<f4').tobytes())
st_desc.append(describe('scalar', np.array(1.25, dtype=np.float32)))
write_safetensors('model.safetensors', st, {'format': 'pt', 'note': 'ünïcode'})
record('model.safetensors', 'safetensors', st_desc)

# ---------------------------------------------------------------- text
text_arr = np.array([[1.5, -2.0, 3.25], [0.0, 4.0, -1e-3], [7.0, 8.5, 9.0], [1e5, -0.25, 2.0]])
with open(path('data.csv'), 'w') as f:
    f.write('alpha,beta,gamma\n')
    for row in text_arr:
        f.write(','.join(repr(float(v)) for v in row) + '\n')
record('data.csv', 'text', [describe('data', text_arr)])
with open(path('data.tsv'), 'w') as f:
    for row in text_arr:
        f.write('\t'.join(repr(float(v)) for v in row) + '\n')
record('data.tsv', 'text', [describe('data', text_arr)])
np.savetxt(path('data.txt'), text_arr[:, :2], header='two columns written by np.savetxt')
record('data.txt', 'text', [describe('data', np.loadtxt(path('data.txt')))])
with open(path('nested.json'), 'w') as f:
    json.dump([[[1, 2], [3, 4]], [[5, 6.5], [-7, 8e-3]]], f)
record('nested.json', 'text', [describe('nested', np.array([[[1, 2], [3, 4]], [[5, 6.5], [-7, 8e-3]]]))])
with open(path('ragged.json'), 'w') as f:
    f.write('[[1, 2.5], [3], [], [NaN, -Infinity, 4]]')
record('ragged.json', 'text', [describe('ragged', np.array([1, 2.5, 3, np.nan, -np.inf, 4]))])

# ---------------------------------------------------------------- raw
raw32 = rng.normal(size=(33,)).astype('<f4')
raw32.tofile(path('raw_f32le.bin'))
record('raw_f32le.bin', 'raw', [describe('raw_f32le', raw32)], raw={'dtype': 'float32', 'byteOrder': 'little'})
raw16 = rng.integers(-30000, 30000, size=(17,)).astype('>i2')
raw16.tofile(path('raw_i16be.bin'))
record('raw_i16be.bin', 'raw', [describe('raw_i16be', raw16)], raw={'dtype': 'int16', 'byteOrder': 'big'})

# ---------------------------------------------------------------- torch
if torch is not None:
    torch.manual_seed(0)

    def tdesc(name, t):
        dtype = str(t.dtype).replace('torch.', '')
        values = t.detach().to(torch.float64).numpy() if t.dtype != torch.bool else t.numpy()
        return describe(name, values, dtype)

    bare = torch.randn(3, 4)
    torch.save(bare, path('bare.pt'))
    record('bare.pt', 'torch', [tdesc('bare', bare)])

    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    sd = net.state_dict()
    torch.save(sd, path('state_dict.pth'))
    record('state_dict.pth', 'torch', [tdesc(k, v) for k, v in sd.items()])

    t1, t2, t3, t4 = torch.randn(2), torch.randn(2, 2), torch.arange(5, dtype=torch.int32), torch.rand(3)
    nested = {'layers': [t1, (t2, t3)], 'meta': {'epoch': 3, 'name': 'run', 'lr': 0.1}, 'act': {'relu1': t4}}
    torch.save(nested, path('nested.pt'))
    record('nested.pt', 'torch', [tdesc('layers.0', t1), tdesc('layers.1.0', t2), tdesc('layers.1.1', t3),
                                  tdesc('act.relu1', t4)])

    transposed = torch.arange(12, dtype=torch.float32).reshape(3, 4).t()
    torch.save({'t': transposed}, path('transposed.pt'))
    record('transposed.pt', 'torch', [tdesc('t', transposed)])

    base = torch.randn(10)
    shared = {'base': base, 'slice': base[2:7], 'view': base.view(2, 5), 'strided': base[1::3]}
    torch.save(shared, path('shared.pt'))
    record('shared.pt', 'torch', [tdesc(k, v) for k, v in shared.items()])

    dt = OrderedDict()
    dt['bf16'] = torch.randn(5).to(torch.bfloat16)
    dt['f16'] = torch.randn(2, 3).to(torch.float16)
    dt['f64'] = torch.randn(4, dtype=torch.float64)
    dt['i8'] = torch.tensor([-128, 0, 127], dtype=torch.int8)
    dt['u8'] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    dt['i16'] = torch.tensor([-32768, 5, 32767], dtype=torch.int16)
    dt['i32'] = torch.tensor([-2**31, 0, 2**31 - 1], dtype=torch.int32)
    dt['i64'] = torch.tensor([-2**53, 1, 2**53], dtype=torch.int64)
    dt['bool'] = torch.tensor([True, False, True])
    dt['scalar'] = torch.tensor(2.5)
    torch.save(dt, path('dtypes.pt'))
    record('dtypes.pt', 'torch', [tdesc(k, v) for k, v in dt.items()])

    lin = torch.nn.Linear(3, 2)
    torch.save(lin, path('module.pt'))
    record('module.pt', 'torch', [tdesc('_parameters.weight', lin.weight), tdesc('_parameters.bias', lin.bias)])

    torch.save(torch.randn(4), path('legacy.pt'), _use_new_zipfile_serialization=False)
    manifest['bad']['legacy.pt'] = 're-save'

    buf = io.BytesIO()
    torch.save({'w': torch.randn(64)}, buf)
    with open(path('truncated.pt'), 'wb') as f:
        f.write(buf.getvalue()[:300])
    manifest['bad']['truncated.pt'] = 'zip'
else:
    print('PyTorch is not installed: torch fixtures were not (re)written', file=sys.stderr)

# ---------------------------------------------------------------- bad files
good = np.arange(1000, dtype=np.float32)
buf = io.BytesIO()
np.save(buf, good)
raw_npy = buf.getvalue()
with open(path('truncated.npy'), 'wb') as f:
    f.write(raw_npy[:len(raw_npy) - 37])
manifest['bad']['truncated.npy'] = 'header says 1000 float32 values (4000 bytes) but only 3963 bytes follow'
with open(path('badmagic.npy'), 'wb') as f:
    f.write(b'\x93NUMPX' + raw_npy[6:200])
manifest['bad']['badmagic.npy'] = 'magic'
np.save(path('complex.npy'), np.array([1 + 2j, 3 - 1j], dtype=np.complex64))
manifest['bad']['complex.npy'] = 'complex'
np.save(path('object.npy'), np.array([{'a': 1}, None], dtype=object), allow_pickle=True)
manifest['bad']['object.npy'] = 'object'
np.save(path('string.npy'), np.array(['ab', 'cde']))
manifest['bad']['string.npy'] = 'string'


def npy_with_header(header_text, payload):
    h = header_text.encode('latin1')
    total = 10 + len(h) + 1
    pad = (64 - total % 64) % 64
    h = h + b' ' * pad + b'\n'
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(h)) + h + payload


with open(path('lying_shape.npy'), 'wb') as f:
    f.write(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", b'\0' * 64))
manifest['bad']['lying_shape.npy'] = '1000000000000'
with open(path('negative_shape.npy'), 'wb') as f:
    f.write(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-4, 2), }", b'\0' * 64))
manifest['bad']['negative_shape.npy'] = 'shape'

sbuf = io.BytesIO()
lie = json.dumps({'w': {'dtype': 'F32', 'shape': [4], 'data_offsets': [0, 1600]}}).encode()
lie += b' ' * ((8 - len(lie) % 8) % 8)
with open(path('lying_offsets.safetensors'), 'wb') as f:
    f.write(struct.pack('<Q', len(lie)) + lie + b'\0' * 16)
manifest['bad']['lying_offsets.safetensors'] = 'past the end'
with open(path('truncated.safetensors'), 'wb') as f:
    f.write(open(path('model.safetensors'), 'rb').read()[:40])
manifest['bad']['truncated.safetensors'] = 'header'
with open(path('huge_header.safetensors'), 'wb') as f:
    f.write(struct.pack('<Q', 10**15) + b'{}')
manifest['bad']['huge_header.safetensors'] = 'header'
with open(path('bad.csv'), 'w') as f:
    f.write('1,2,3\n4,oops,6\n')
manifest['bad']['bad.csv'] = 'line 2'

with open(path('manifest.json'), 'w') as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
    f.write('\n')

total = sum(os.path.getsize(path(n)) for n in os.listdir(OUT))
print('wrote %d files, %d bytes, to %s' % (len(os.listdir(OUT)), total, os.path.normpath(OUT)))
