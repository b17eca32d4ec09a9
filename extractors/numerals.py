"""Chinese and Arabic numerals to numbers; placeholders (``*``, ``x``) to None."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def parse_number(text: str) -> float | None:
    """``三`` → 3, ``十二`` → 12, ``两千五百`` → 2500, ``1.5`` → 1.5; placeholders and junk → None."""
    text = text.strip().translate(_FULLWIDTH)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    if any(ch not in _DIGITS and ch not in _UNITS and ch != "万" for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and section == 0 and total == 0:
                # digit strings without units (一二 in 二〇二四) read positionally
                digit = digit * 10 + _DIGITS[ch]
            else:
                digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
    return float(total + section + (digit or 0))
