"""Draw the dashboard's favicon: two parties' acceptable sets and their overlap, the deal.

Writes src/accord/web/static/favicon.ico (16 and 32 pixel images, PNG-encoded inside the
ICO container, which every current browser reads). Standard library only; run it again
after changing the drawing: ``python scripts/make_favicon.py``.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

TARGET = Path(__file__).parents[1] / "src" / "accord" / "web" / "static" / "favicon.ico"
ACCENT = (0x0B, 0x5C, 0xAD)  # --accent in accord.css
ONE_SIDE = (0x8F, 0xB6, 0xE0)  # acceptable to one party
BOTH = (0xFF, 0xFF, 0xFF)  # acceptable to both: the zone of agreement
SAMPLES = 4  # per pixel and axis, for smooth edges


def colour_at(x: float, y: float) -> tuple[int, int, int, int]:
    """The colour of the point (x, y) of the unit square, transparent outside the tile."""
    corner = 0.18
    dx, dy = max(corner - x, 0, x - 1 + corner), max(corner - y, 0, y - 1 + corner)
    if dx * dx + dy * dy > corner * corner:
        return (0, 0, 0, 0)
    left = (x - 0.38) ** 2 + (y - 0.5) ** 2 < 0.27**2
    right = (x - 0.62) ** 2 + (y - 0.5) ** 2 < 0.27**2
    colour = BOTH if left and right else ONE_SIDE if left or right else ACCENT
    return (*colour, 255)


def pixels(size: int) -> bytes:
    rows = bytearray()
    for row in range(size):
        rows.append(0)  # PNG filter: none
        for column in range(size):
            samples = [
                colour_at((column + (i + 0.5) / SAMPLES) / size, (row + (j + 0.5) / SAMPLES) / size)
                for i in range(SAMPLES)
                for j in range(SAMPLES)
            ]
            alpha = sum(s[3] for s in samples)
            for channel in range(3):
                weighted = sum(s[channel] * s[3] for s in samples)
                rows.append(round(weighted / alpha) if alpha else 0)
            rows.append(round(alpha / len(samples)))
    return bytes(rows)


def png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels(size), 9))
        + chunk(b"IEND", b"")
    )


def ico(sizes: tuple[int, ...]) -> bytes:
    images = [png(size) for size in sizes]
    directory = struct.pack("<HHH", 0, 1, len(images))
    offset = len(directory) + 16 * len(images)
    entries = b""
    for size, image in zip(sizes, images, strict=True):
        entries += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return directory + entries + b"".join(images)


if __name__ == "__main__":
    TARGET.write_bytes(ico((16, 32)))
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")
