"""Vectorised numpy helpers (grouped ranks and sums) and numpy -> Arrow column builders.

Nothing here loops over rows in Python: strings are built from fixed-width byte matrices or with
Arrow compute kernels, low-cardinality text becomes dictionary arrays over a vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Int = np.ndarray  # an integer ndarray (kept loose: numpy's generic typing adds nothing here)

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_UUID_HEX_POS = np.array([i for i in range(36) if i not in (8, 13, 18, 23)])


# --- grouped arrays ----------------------------------------------------------------------------
def starts(counts: Int) -> Int:
    """Start offset of each group in the flat array of groups laid out one after the other."""
    return np.cumsum(counts) - counts


def rank(counts: Int) -> Int:
    """0, 1, ... within each group: rank([2, 0, 3]) -> [0, 1, 0, 1, 2]."""
    total = int(counts.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(starts(counts), counts)


def group_cumsum(values: Int, counts: Int) -> Int:
    """Inclusive cumulative sum restarting at each group."""
    cs = np.cumsum(values)
    before = np.concatenate([np.zeros(1, dtype=cs.dtype), cs])[starts(counts)]
    return cs - np.repeat(before, counts)


def choice_rows(rng: np.random.Generator, p: np.ndarray, group: Int) -> Int:
    """For each element, draw a column index from the probability row ``p[group]``."""
    cdf = np.cumsum(p, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(group))
    out = np.zeros(len(group), dtype=np.int64)
    for g in range(p.shape[0]):
        mask = group == g
        if mask.any():
            out[mask] = np.searchsorted(cdf[g], u[mask], side="right")
    return np.minimum(out, p.shape[1] - 1)


# --- Arrow builders ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Vocab:
    """A list of text values for dictionary columns.

    ``entries`` keeps the original positions (None allowed) for ``take``; ``dictionary`` holds
    each distinct non-null value once and ``codes`` maps a position to it (-1 for None).
    Parquet needs a dictionary without nulls, and a dictionary with repeated values does not
    encode deterministically, hence the split.
    """

    entries: pa.Array
    dictionary: pa.Array
    codes: np.ndarray


def vocab(values: Sequence[str | None]) -> Vocab:
    distinct = sorted({v for v in values if v is not None})
    position = {v: i for i, v in enumerate(distinct)}
    codes = np.array([-1 if v is None else position[v] for v in values], dtype=np.int64)
    return Vocab(
        entries=pa.array(list(values), type=pa.string()),
        dictionary=pa.array(distinct, type=pa.string()),
        codes=codes,
    )


def dict_column(voc: Vocab, idx: Int) -> pa.DictionaryArray:
    """Dictionary array of ``voc`` entries at ``idx``; negative indices (and None) are nulls."""
    code = np.where(idx < 0, -1, voc.codes[np.maximum(idx, 0)])
    null = code < 0
    indices = pa.array(np.where(null, 0, code).astype(np.int32), mask=null)
    return pa.DictionaryArray.from_arrays(indices, voc.dictionary)


def take(values: pa.Array | Vocab, idx: Int) -> pa.Array:
    """``values[idx]`` as a plain array, with nulls where ``idx`` is negative."""
    if isinstance(values, Vocab):
        values = values.entries
    null = idx < 0
    return values.take(pa.array(np.where(null, 0, idx), mask=null))


def fixed_width_strings(chars: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A string array from an (n, width) uint8 matrix of ASCII bytes, one row per value."""
    n, width = chars.shape
    data = np.ascontiguousarray(chars, dtype=np.uint8).reshape(-1)
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    bitmap = None
    null_count = 0
    if valid is not None and not valid.all():
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
        null_count = int(n - valid.sum())
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(data), bitmap, null_count
    )


def uuid_chars(rng: np.random.Generator, n: int) -> np.ndarray:
    """(n, 36) ASCII matrix of random version-4 UUIDs."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    nibbles = np.empty((n, 32), dtype=np.uint8)
    nibbles[:, 0::2] = raw >> 4
    nibbles[:, 1::2] = raw & 0x0F
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    out[:, _UUID_HEX_POS] = _HEX[nibbles]
    return out


def numbered_chars(prefix: str, numbers: Int, width: int) -> np.ndarray:
    """(n, len(prefix) + width) ASCII matrix: prefix + zero-padded number."""
    numbers = np.asarray(numbers, dtype=np.int64)
    if len(numbers) and int(numbers.max()) >= 10**width:
        raise ValueError(f"number too large for {width} digits")
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (numbers[:, None] // powers[None, :]) % 10 + ord("0")
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    out = np.empty((len(numbers), len(head) + width), dtype=np.uint8)
    out[:, : len(head)] = head
    out[:, len(head) :] = digits
    return out


def timestamps(values: Int, null: np.ndarray | None = None) -> pa.Array:
    """Naive UTC timestamp[us] array from int64 microseconds since the epoch."""
    arr = np.asarray(values, dtype=np.int64).view("datetime64[us]")
    return pa.array(arr, type=pa.timestamp("us"), mask=null)


def money(cents: Int, null: np.ndarray | None = None) -> pa.Array:
    """decimal(12, 2) array from integer cents."""
    cents = np.asarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)
    bitmap = None
    null_count = 0
    if null is not None and null.any():
        bitmap = pa.py_buffer(np.packbits(~null, bitorder="little"))
        null_count = int(null.sum())
    return pa.Array.from_buffers(
        pa.decimal128(12, 2), len(cents), [bitmap, pa.py_buffer(words)], null_count
    )


def join_strings(parts: Sequence[pa.Array | str], separator: str = "") -> pa.Array:
    """Element-wise concatenation of string arrays (and constant strings)."""
    args = [p if isinstance(p, pa.Array) else pa.scalar(p, pa.string()) for p in parts]
    return pc.binary_join_element_wise(*args, separator)


def int_strings(values: Int) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
