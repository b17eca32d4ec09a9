"""Office files (xlsx, docx) made byte-stable: two runs of one corpus write the same bytes.

openpyxl and python-docx stamp the document's ``created``/``modified`` properties and
every zip entry with the clock. The outputs are a function of the corpus, not of when
they were written, so both are set to one stable instant: ``SOURCE_DATE_EPOCH`` when
the environment sets it (the reproducible-builds convention), else 1980-01-01 00:00 UTC,
the earliest date a zip entry can carry. Source file times are not used: a copy or a
checkout changes them while the content stays the same.
"""

from __future__ import annotations

import os
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=timezone.utc)
# characters XML 1.0 cannot hold: openpyxl and python-docx refuse the C0 controls, Excel a file with the others
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")

__all__ = ["stable_time", "settle", "xml_text"]


def xml_text(text: str) -> str:
    """``text`` without the characters an xlsx or docx cannot hold (NUL, \\x0b, \\x1b …)."""
    return _ILLEGAL_XML.sub("", text)


def stable_time() -> datetime:
    """The instant every office file of a run is dated with (UTC)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return max(ZIP_EPOCH, datetime.fromtimestamp(int(value), tz=timezone.utc))
    return ZIP_EPOCH


def settle(path: Path, when: datetime | None = None) -> None:
    """Rewrite the package at ``path`` with its core properties' dates and every zip
    entry's date set to ``when`` (default ``stable_time()``); entry order and content kept."""
    when = when or stable_time()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = when.timetuple()[:6]
    path = Path(path)
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    temporary = path.with_name(path.name + ".settle")
    with zipfile.ZipFile(temporary, "w") as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            fixed.create_system = 0  # the same bytes whatever system wrote them
            target.writestr(fixed, data)
    temporary.replace(path)
