"""Charts of the summary report as PNG bytes, drawn with a font that has Chinese glyphs.

A chart whose labels come out as empty boxes is worse than none, so a missing CJK font
stops the report with a message saying what to install.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping

GLYPH_SAMPLE = "政协举措报告类别"
# Families tried first, in order; any other family passing the glyph check comes after.
PREFERRED_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)
CJK_NAME_HINTS = ("CJK", "Han ", "WenQuanYi", "Hei", "Song", "Ming", "Kai", "Fallback", "YaHei", "PingFang", " SC", " CN")
INSTALL_HINT = (
    "no font with Chinese glyphs was found (looked in matplotlib's font list and `fc-list :lang=zh`); "
    "charts would show empty boxes instead of characters. Install one, e.g. "
    "`apt-get install fonts-noto-cjk` (what `make install` does), then run the command again."
)

__all__ = ["CJKFont", "ChartFontError", "MissingGlyphError", "find_cjk_font", "font_has_glyphs", "Chart", "ChartFailure", "build_charts", "draw_charts", "GLYPH_SAMPLE"]


class ChartFontError(RuntimeError):
    """No installed font can draw Chinese text."""


class MissingGlyphError(ValueError):
    """The font lacks a glyph for a character of this chart's labels (an emoji, U+FFFD …):
    this chart cannot be drawn, the others can."""

    def __init__(self, message: str, characters: tuple[str, ...]):
        super().__init__(message)
        self.characters = characters


@dataclass(frozen=True)
class CJKFont:
    name: str  # family name matplotlib knows it by
    path: str
    index: int = 0  # face in a .ttc collection


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    png: bytes


@dataclass(frozen=True)
class ChartFailure:
    """A chart left out of the report: which, and why (``missing`` holds the characters
    the font has no glyph for, when that was the reason)."""

    key: str
    title: str
    reason: str
    missing: tuple[str, ...] = ()


def font_has_glyphs(path: str | Path, text: str = GLYPH_SAMPLE, index: int = 0) -> bool:
    """Whether the font file maps every character of ``text`` to a real glyph."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(str(path), face_index=index)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in text)


def _fc_list_files() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})


@lru_cache(maxsize=1)
def find_cjk_font() -> CJKFont:
    """A regular-weight font with Chinese glyphs, preferring the families above.

    matplotlib's cached font list may predate a font installed since, so files that
    ``fc-list :lang=zh`` names are added to it when the list has none."""
    from matplotlib import font_manager

    def candidates() -> list:
        rank = {name: i for i, name in enumerate(PREFERRED_FAMILIES)}
        named = [e for e in font_manager.fontManager.ttflist if e.name in rank or any(h in e.name for h in CJK_NAME_HINTS)]

        def weight(entry) -> int:  # regular upright faces first
            value = entry.weight if isinstance(entry.weight, int) else 400
            return abs(value - 400) + (0 if entry.style == "normal" else 1000)

        return sorted(named, key=lambda e: (rank.get(e.name, len(rank)), weight(e), e.name, e.fname))

    def first_good():
        for entry in candidates():
            if font_has_glyphs(entry.fname, GLYPH_SAMPLE, getattr(entry, "index", 0)):
                return CJKFont(entry.name, entry.fname, getattr(entry, "index", 0))
        return None

    found = first_good()
    if found is None:
        for path in _fc_list_files():
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
        found = first_good()
    if found is None:
        raise ChartFontError(INSTALL_HINT)
    return found


# ---------------------------------------------------------------- drawing


def _render(draw: Callable, width: float, height: float, dpi: int) -> bytes:
    """Draw on a fresh Agg figure with the CJK font; a glyph matplotlib cannot find is an error."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = find_cjk_font()
    with matplotlib.rc_context({"font.family": [font.name], "axes.unicode_minus": False, "svg.fonttype": "none"}):
        figure = Figure(figsize=(width, height), dpi=dpi)
        FigureCanvasAgg(figure)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            draw(figure)
            figure.tight_layout()
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=dpi)
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message).lower()]
        if missing:
            characters = tuple(dict.fromkeys(chr(int(n)) for m in missing for n in _GLYPH_NUMBER.findall(m)))
            raise MissingGlyphError(f"font {font.name} ({font.path}) lacks glyphs: {missing[0]}", characters)
    return buffer.getvalue()


_GLYPH_NUMBER = re.compile(r"Glyph (\d+)")

PALETTE = ("#1f5fa8", "#e07b39", "#3a9a5b", "#c23b3b", "#8067b7", "#8c6d31", "#d4a017", "#5c5c5c")


def _short(text: str | None, n: int = 16) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


def _chart_documents(summary: Mapping, labels: Mapping, titles: Mapping):
    overview = summary["documents"]
    types = [line["key"] for line in overview["type_level"]]
    levels = overview["levels"]

    def draw(figure):
        ax = figure.add_subplot()
        bottom = [0] * len(types)
        for i, level in enumerate(levels):
            values = [line["counts"].get(level, 0) for line in overview["type_level"]]
            ax.bar([labels["doc_type"].get(t, t) for t in types], values, bottom=bottom, color=PALETTE[i % len(PALETTE)],
                   label=labels["level"].get(level, level))
            bottom = [b + v for b, v in zip(bottom, values)]
        for x, total in enumerate(bottom):
            ax.annotate(str(total), (x, total), ha="center", va="bottom", fontsize=9)
        ax.margins(y=0.12)  # room for the totals above the bars
        ax.set_ylabel(titles["documents_axis"])
        ax.set_title(titles["documents"])
        ax.legend(frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        ax.yaxis.get_major_locator().set_params(integer=True)

    return draw, (7, 3.8)


def _chart_classes(summary: Mapping, labels: Mapping, titles: Mapping):
    classes = [c for c in summary["classes"] if c["measures"]][::-1]
    statuses = [s["key"] for s in summary["statuses"]]

    def draw(figure):
        ax = figure.add_subplot()
        names = [c["name"] for c in classes]
        left = [0] * len(classes)
        for i, status in enumerate(statuses):
            values = [c["by_status"].get(status, 0) for c in classes]
            ax.barh(names, values, left=left, color=PALETTE[i % len(PALETTE)], label=labels["status"].get(status, status))
            left = [a + v for a, v in zip(left, values)]
        for y, total in enumerate(left):
            ax.annotate(str(total), (total, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        ax.set_xlabel(titles["measures_axis"])
        ax.set_title(titles["classes"])
        ax.legend(frameon=False, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)

    return draw, (8, 0.34 * len(classes) + 1.6)


def _chart_bodies(summary: Mapping, labels: Mapping, titles: Mapping):
    table = summary["bodies"]
    names = {c["code"]: c["name"] for c in summary["classes"]}
    lines = table["lines"]
    columns = table["bodies"]

    def draw(figure):
        import numpy as np

        ax = figure.add_subplot()
        values = np.array([[line["counts"][b] for b in columns] for line in lines] or [[0]])
        ax.imshow(values, cmap="Blues", aspect="auto")
        ax.set_xticks(range(len(columns)), columns, rotation=35, ha="right", fontsize=8)
        ax.set_yticks(range(len(lines)), [names.get(line["code"], line["code"]) for line in lines], fontsize=8)
        peak = values.max() or 1
        for (y, x), v in np.ndenumerate(values):
            if v:
                ax.text(x, y, str(v), ha="center", va="center", fontsize=7, color="white" if v > peak / 2 else "black")
        ax.set_title(titles["bodies"])

    return draw, (8, 0.32 * len(lines) + 2.2)


def _chart_city_county(pair: Mapping, names: Mapping, labels: Mapping, titles: Mapping, columns: Mapping):
    lines = [line for line in pair["by_category"]][::-1]

    def draw(figure):
        ax = figure.add_subplot()
        height = 0.27
        ys = range(len(lines))
        series = (("city_measures", columns["city_measures"]), ("county_measures", columns["county_measures"]), ("taken_up", columns["taken_up"]))
        for i, (key, label) in enumerate(series):
            ax.barh([y + (1 - i) * height for y in ys], [line.get(key, 0) for line in lines], height=height, color=PALETTE[i], label=label)
        ax.set_yticks(list(ys), [names.get(line["category"], line["category"]) for line in lines], fontsize=8)
        ax.set_xlabel(titles["measures_axis"])
        ax.set_title(titles["city_county"].format(city=_short(pair["city"]["title"], 14), county=_short(pair["county"]["title"], 14)), fontsize=10)
        ax.legend(frameon=False, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)

    return draw, (8, 0.42 * len(lines) + 1.6)


def _chart_ranking(summary: Mapping, labels: Mapping, titles: Mapping):
    ranked = [d for d in summary["ranking"] if d.get("rank") is not None][::-1]

    def draw(figure):
        ax = figure.add_subplot()
        names = [f"{d['rank']}. {_short(d['title'], 20)}" for d in ranked]
        ax.barh(names, [d["score"] for d in ranked], color=PALETTE[0])
        for y, d in enumerate(ranked):
            ax.annotate(f"{d['score']:.2f}", (d["score"], y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        ax.set_xlabel(titles["score_axis"])
        ax.set_title(titles["ranking"])
        ax.tick_params(axis="y", labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)

    return draw, (8, 0.34 * len(ranked) + 1.4)


def build_charts(summary: Mapping, wording, dpi: int = 150) -> list[Chart]:
    """Every chart of the report, in report order; a chart without data is left out.
    Raises on the first chart that cannot be drawn (``draw_charts`` leaves it out instead)."""
    charts, failures = draw_charts(summary, wording, dpi)
    if failures:
        raise MissingGlyphError(failures[0].reason, failures[0].missing)
    return charts


def draw_charts(summary: Mapping, wording, dpi: int = 150) -> tuple[list[Chart], list[ChartFailure]]:
    """Every chart that can be drawn, in report order, and the ones that could not: one
    title with a character the font lacks must not take the other charts with it. A
    missing Chinese font (``ChartFontError``) is no chart's fault and still raises."""
    labels, titles, columns = wording.labels, wording.section("charts"), wording.section("columns")
    names = {c["code"]: c["name"] for c in summary["classes"]}
    plans = []
    if summary["documents"]["type_level"]:
        plans.append(("documents", titles["documents"], lambda: _chart_documents(summary, labels, titles)))
    if any(c["measures"] for c in summary["classes"]):
        plans.append(("classes", titles["classes"], lambda: _chart_classes(summary, labels, titles)))
    if summary["bodies"]["bodies"] and summary["bodies"]["lines"]:
        plans.append(("bodies", titles["bodies"], lambda: _chart_bodies(summary, labels, titles)))
    for i, pair in enumerate(summary["city_county"], start=1):
        if pair["by_category"]:
            title = titles["city_county"].format(city=pair["city"]["title"], county=pair["county"]["title"])
            plans.append((f"city_county_{i}", title, lambda pair=pair: _chart_city_county(pair, names, labels, titles, columns)))
    if any(d.get("rank") is not None for d in summary["ranking"]):
        plans.append(("ranking", titles["ranking"], lambda: _chart_ranking(summary, labels, titles)))
    charts, failures = [], []
    for key, title, plan in plans:
        try:
            draw, size = plan()
            charts.append(Chart(key, title, _render(draw, *size, dpi=dpi)))
        except ChartFontError:
            raise
        except MissingGlyphError as exc:
            failures.append(ChartFailure(key, title, str(exc), exc.characters))
        except Exception as exc:  # noqa: BLE001 - one chart's data must not lose the report
            failures.append(ChartFailure(key, title, f"{type(exc).__name__}: {exc}"))
    return charts, failures
