"""How much room text takes on a slide: the slide font's real glyph widths and line height, read from
the font file the system draws "Arial" with (fontconfig: Arial on an office PC, a metric-compatible or
wider sans such as Liberation or Noto Sans elsewhere). Without fontconfig or a font file, a width that
errs on the wide side. Used to fit tables, findings and captions above a slide's footer."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from PIL import ImageFont

UNITS = 20                      # font units per point when measuring (sub-point precision)
FALLBACK_WIDTH = 0.55           # average glyph width (em) when no font file is found: wide on purpose
FALLBACK_LINE = 1.36            # line height (em) of the widest common sans fonts


@lru_cache(maxsize=4)
def font_path(family: str = "Arial", bold: bool = False) -> str | None:
    """The file the system draws `family` with, or None (no fontconfig, or it does not answer in 10 s)."""
    fc = shutil.which("fc-match")
    if not fc:
        return None
    try:
        out = subprocess.run([fc, "-f", "%{file}", f"{family}:{'bold' if bold else 'regular'}"],
                             capture_output=True, text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out or None


@lru_cache(maxsize=64)
def _font(path: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=max(int(round(size * UNITS)), 1))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of `text` in points at `size` pt."""
    path = font_path("Arial", bold)
    if path is None:
        return len(text) * FALLBACK_WIDTH * size
    return _font(path, size).getlength(text) / UNITS


def line_height(size: float, bold: bool = False) -> float:
    """One line's height in points at `size` pt (the font's ascent + descent)."""
    path = font_path("Arial", bold)
    if path is None:
        return FALLBACK_LINE * size
    ascent, descent = _font(path, size).getmetrics()
    return max((ascent + descent) / UNITS, 1.15 * size)


def wrapped_lines(text: str, width_in: float, size: float, bold: bool = False) -> int:
    """Lines `text` takes in a box `width_in` inches wide (inside its margins) at `size` pt, breaking
    at spaces and inside a word wider than the box."""
    width = max(width_in * 72, 1.0)
    lines = 0
    for para in str(text).split("\n"):
        lines += 1
        line = ""
        for word in para.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines += 1
            line = word
            while len(line) > 1 and text_width(line, size, bold) > width:
                fit = next(i for i in range(len(line) - 1, 0, -1) if text_width(line[:i], size, bold) <= width or i == 1)
                lines += 1
                line = line[fit:]
    return lines
