"""Normalised forms of Vietnamese unit names and column headers, for matching typed text to codes.

`Đăk`/`Đắk`, `KRoong`/`Kroong`, `Ia H' Drai`/`Ia H'Drai`, NFC/NFD, `HUYỆN Đăk Hà`/`H. Đăk Hà` all give
the same key.
"""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

_UNIT_PREFIXES = (
    "thanh pho", "thi tran", "thi xa", "dac khu", "tinh", "huyen dao", "huyen", "quan", "phuong", "xa", "tp",
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATED_TYPE = re.compile(r"^(?:h|tx|tp|tt|q|p|x)\.\s*")   # "H. Đăk Hà", "TX. Kon Tum", "TP.HCM"


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse white space; keeps word boundaries."""
    s = unicodedata.normalize("NFD", str(text)).replace("\u0111", "d").replace("\u0110", "d")
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    return " ".join(s.lower().split())


@lru_cache(maxsize=1 << 16)
def name_key(text: str | None, strip_type: bool = True) -> str:
    """Matching key of a unit name: folded, without its type word ("Xã", "Huyện"…) and punctuation."""
    if text is None:
        return ""
    s = fold(text)
    if strip_type:
        s = _ABBREVIATED_TYPE.sub("", s)
    s = _NON_ALNUM.sub(" ", s).strip()
    if strip_type:
        for p in _UNIT_PREFIXES:
            if s.startswith(p + " ") and len(s) > len(p) + 1:
                s = s[len(p) + 1:]
                break
    return s.replace(" ", "")


def header_key(text: str) -> str:
    """Matching key of a column header: folded, alphanumerics only ("Số hộ nghèo" → "sohongheo")."""
    return _NON_ALNUM.sub("", fold(text))


def is_digits(text: str) -> bool:
    """Only the ASCII digits 0–9 ('²', '①', '٣' are digits to `str.isdigit` but not numbers to `int`)."""
    return text.isascii() and text.isdigit()


def normalise_code(value: object, width: int = 5) -> str | None:
    """GSO code as a zero-padded string (`2566`, `2566.0`, `'02566'` → `'02566'`); None if not a code."""
    if value is None:
        return None
    s = str(value).strip()
    if s.endswith(".0"):
        s = s[:-2]
    if not is_digits(s) or len(s) > width:
        return None
    return s.zfill(width)
