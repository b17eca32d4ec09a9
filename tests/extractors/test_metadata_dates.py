"""Document dates as they are written in Chinese documents, to ISO form."""

from pathlib import Path

import pytest

from extractors.metadata import document_date, load_metadata_rules

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "corpora" / "dev"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("政协某某市委员会\n2024年11月21日", "2024-11-21"),
        ("（2023年3月）", "2023-03"),
        ("二〇二四年十一月二十一日印发", "2024-11-21"),
        ("二〇二三年三月九日", "2023-03-09"),
        ("发布时间: 2024-05-24 16:13:00 来源:网络", "2024-05-24"),
        ("2019.06.30", "2019-06-30"),
        ("在2016年全市政协工作会议上", None),  # a year alone is no date
        ("2023年13月", None),
        ("2023年2月30日", None),
        ("版本 1.2024.11.21", None),
        # the earliest date of the text, whichever way it is written
        ("（2022年5月） 会议于2023年1月8日召开", "2022-05"),
    ],
)
def test_document_date(text, expected):
    assert document_date(text, load_metadata_rules()) == expected


def test_a_web_page_dates_from_its_masked_header(seed_results):
    """The seed speech page's header (masked as site noise) gives its first document's date."""
    document = seed_results["003_c6d22d7c8ab3c4ee.txt"][1][0].document
    assert document.date == "2024-05-24"


@pytest.mark.skipif(not DEV.is_dir(), reason="the development corpus (../shared/corpora/dev) is not here")
def test_about_half_the_development_pages_have_a_date():
    from extractors.documents import load_resources, process_source
    from extractors.reading import list_sources, read_sources

    resources = load_resources(measures=False)
    dated = total = 0
    for path, root in list_sources([DEV]):
        for source in read_sources(path, root, max_bytes=20 << 20):
            for result in process_source(source, resources):
                total += 1
                dated += result.document.date is not None
    # measured 73 of 150 (2026-12-02); pages with no date written anywhere near their head or foot make up the rest
    assert total == 150 and dated >= 70
