"""Level and region from administrative-division data, not hand lists."""

import pytest


@pytest.mark.parametrize(
    "name, index, doc_type, level, region, code",
    [
        ("000_c4eeb4407c4e4302.txt", 0, "opinion", "county", "江苏省泰州市靖江市", "321282"),
        ("001_c928dd9025f7e819.txt", 0, "opinion", "city", "江苏省南通市", "320600"),
        ("002_db615ddd08875ea9.txt", 0, "report", "city", "", None),
        ("004_d26b86c6ea9d91ed.txt", 0, "article", "county", "重庆市潼南区", "500152"),
        ("004_d26b86c6ea9d91ed.txt", 1, "article", "county", "重庆市垫江县", "500231"),
        ("004_d26b86c6ea9d91ed.txt", 2, "article", "county", "重庆市奉节县", "500236"),
        ("004_d26b86c6ea9d91ed.txt", 3, "article", "county", "重庆市长寿区", "500115"),
    ],
)
def test_metadata_level_and_region(seed_results, name, index, doc_type, level, region, code):
    document = seed_results[name][1][index].document
    assert (document.doc_type, document.level, document.region.name, document.region.code) == (doc_type, level, region, code)


def test_metadata_issuer_and_title(seed_results):
    document = seed_results["000_c4eeb4407c4e4302.txt"][1][0].document
    assert document.issuing_body == "政协靖江市委员会"
    assert document.title == "关于学习贯彻全市政协工作会议精神的意见"


def test_metadata_speeches_are_speeches(seed_results):
    assert {r.document.doc_type for r in seed_results["003_c6d22d7c8ab3c4ee.txt"][1]} == {"speech"}


NEWS = (
    "县政协召开十一届十五次主席会议\n"
    "3月17日下午，县政协召开十一届十五次主席会议。县政协主席主持会议并讲话。\n"
    "会议强调，要把学习贯彻会议精神作为当前的重要政治任务。\n"
)


def test_metadata_a_news_item_is_news_though_its_first_paragraph_mentions_a_speech():
    from extractors.metadata import describe_document, load_metadata_rules
    from extractors.splitting import DocumentSpan

    title_end = NEWS.index("\n")
    span = DocumentSpan(0, len(NEWS), 0, title_end)
    assert describe_document(NEWS, span, load_metadata_rules())["doc_type"] == "news"


@pytest.mark.parametrize(
    "head, author",
    [
        ("在全县政协工作会议上的讲话\n县委书记 张某\n（2024年5月10日）\n同志们：\n", "张某"),
        # role and name on lines of their own, the name spaced out (GWR 2024)
        ("政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理\u3000\n李\u3000强\n各位代表：\n", "李强"),
        ("关于学习贯彻全市政协工作会议精神的意见\n政协靖江市委员会\n各镇政协工作联络组：\n", None),
    ],
)
def test_metadata_speaker_under_the_title_is_the_author(head, author):
    from extractors.metadata import describe_document, load_metadata_rules
    from extractors.splitting import DocumentSpan

    text = head + "要建立委员履职档案。\n"
    span = DocumentSpan(0, len(text), 0, text.index("\n"))
    assert describe_document(text, span, load_metadata_rules())["author"] == author
