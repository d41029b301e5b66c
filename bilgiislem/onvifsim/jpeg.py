"""A minimal baseline JPEG encoder (grayscale, stdlib only) that made the frames the simulator
serves (``frames/frame*.jpg``). It is not used at run time; regenerate the frames with::

    python3 -m bilgiislem.onvifsim.jpeg bilgiislem/onvifsim/frames

The Huffman tables are not the standard ones of Annex K but flat ones (every DC symbol 4 bits,
every AC symbol 8 bits), which are valid and embedded in the file like any table.
"""

from __future__ import annotations

import math
import struct
import sys
from pathlib import Path

QUANT = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
         14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
         18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
         49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
# (row, column) of each coefficient in zigzag order
ZIGZAG = sorted(((r, c) for r in range(8) for c in range(8)),
                key=lambda p: (p[0] + p[1], p[0] if (p[0] + p[1]) % 2 else p[1]))
DC_SYMBOLS = list(range(12))
AC_SYMBOLS = [0x00, 0xF0] + [(run << 4) | size for run in range(16) for size in range(1, 11)]
COS = [[math.cos((2 * x + 1) * u * math.pi / 16) for x in range(8)] for u in range(8)]


def _table(symbols: list[int], length: int) -> dict[int, tuple[int, int]]:
    return {s: (i, length) for i, s in enumerate(symbols)}


DC_CODES = _table(DC_SYMBOLS, 4)
AC_CODES = _table(AC_SYMBOLS, 8)


class _Bits:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value: int, length: int) -> None:
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)
                self.acc = self.n = 0

    def flush(self) -> bytes:
        while self.n:
            self.put(1, 1)
        return bytes(self.out)


def _category(v: int) -> tuple[int, int]:
    size = abs(v).bit_length()
    return size, (v if v >= 0 else v + (1 << size) - 1)


def _block(pixels: list[list[int]]) -> list[int]:
    coeffs = [0] * 64
    for u in range(8):
        for v in range(8):
            s = sum(COS[u][x] * COS[v][y] * (pixels[y][x] - 128)
                    for x in range(8) for y in range(8))
            cu = 1 / math.sqrt(2) if u == 0 else 1.0
            cv = 1 / math.sqrt(2) if v == 0 else 1.0
            coeffs[v * 8 + u] = round(0.25 * cu * cv * s / QUANT[v * 8 + u])
    return [coeffs[r * 8 + c] for r, c in ZIGZAG]


def encode(image: list[list[int]]) -> bytes:
    """A grayscale image (rows of 0..255, both sides multiples of 8) as a baseline JPEG."""
    height, width = len(image), len(image[0])
    bits = _Bits()
    previous = 0
    for by in range(0, height, 8):
        for bx in range(0, width, 8):
            zz = _block([row[bx:bx + 8] for row in image[by:by + 8]])
            size, value = _category(zz[0] - previous)
            previous = zz[0]
            code, length = DC_CODES[size]
            bits.put(code, length)
            bits.put(value, size)
            run = 0
            for k in range(1, 64):
                if zz[k] == 0:
                    run += 1
                    continue
                while run > 15:
                    bits.put(*AC_CODES[0xF0])
                    run -= 16
                size, value = _category(zz[k])
                bits.put(*AC_CODES[(run << 4) | size])
                bits.put(value, size)
                run = 0
            if run:
                bits.put(*AC_CODES[0x00])
    data = bits.flush()

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">HH", marker, len(payload) + 2) + payload

    def dht(cls_id: int, symbols: list[int], length: int) -> bytes:
        counts = [0] * 16
        counts[length - 1] = len(symbols)
        return bytes([cls_id, *counts, *symbols])

    quant = bytes(QUANT[r * 8 + c] for r, c in ZIGZAG)
    return b"".join([
        b"\xff\xd8",
        segment(0xFFE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        segment(0xFFDB, b"\x00" + quant),
        segment(0xFFC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
        segment(0xFFC4, dht(0x00, DC_SYMBOLS, 4) + dht(0x10, AC_SYMBOLS, 8)),
        segment(0xFFDA, b"\x01\x01\x00\x00\x3f\x00"),
        data,
        b"\xff\xd9",
    ])


def frame(index: int, width: int = 160, height: int = 96) -> list[list[int]]:
    """A test picture: a horizontal gradient, a bright square that moves with ``index`` and a
    progress bar at the bottom."""
    image = [[40 + (x * 120) // width for x in range(width)] for _ in range(height)]
    left = 8 + index * 32
    for y in range(32, 64):
        for x in range(left, min(left + 24, width)):
            image[y][x] = 235
    for y in range(height - 8, height):
        for x in range(min(width, 40 * (index + 1))):
            image[y][x] = 250
    return image


def main(argv: list[str]) -> None:
    folder = Path(argv[0] if argv else Path(__file__).parent / "frames")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(4):
        (folder / f"frame{i}.jpg").write_bytes(encode(frame(i)))


if __name__ == "__main__":
    main(sys.argv[1:])
