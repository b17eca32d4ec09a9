"""Rewrites of a page that must not change its catalogue, with the offset map back.

Each rewrite returns the new text and ``where(i)``: the offset in the new text of
the original character at ``i``. Shared by the metamorphic tests.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

# a site's chrome as pages carry it: breadcrumb, share buttons, reader widgets
WEB_CHROME = "首页 > 政协工作 > 正文\n点击右上角微信好友\n朋友圈\n朗读\n分享到：\n\n"

Rewrite = Callable[[str], tuple[str, Callable[[int], int]]]


def half_width(text: str) -> tuple[str, Callable[[int], int]]:
    """Full-width forms (，：；！？（）…) to their ASCII counterparts, one for one."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text), lambda i: i


def without_line_breaks(text: str) -> tuple[str, Callable[[int], int]]:
    """The page as one line, as a scraper that drops block elements leaves it."""
    positions, out = [], []
    for c in text:
        positions.append(len(out))
        if c not in "\r\n":
            out.append(c)
    positions.append(len(out))
    return "".join(out), lambda i: positions[i]


def behind_web_chrome(text: str) -> tuple[str, Callable[[int], int]]:
    return WEB_CHROME + text, lambda i: i + len(WEB_CHROME)


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> tuple[str, Callable[[int], int]]:
    """Simplified to traditional characters, character by character (offsets kept)."""
    converter = _s2t()
    out = "".join(converter.convert(c) if len(converter.convert(c)) == 1 else c for c in text)
    return out, lambda i: i


REWRITES: dict[str, Rewrite] = {
    "half_width": half_width,
    "without_line_breaks": without_line_breaks,
    "behind_web_chrome": behind_web_chrome,
    "traditional": traditional,
}
