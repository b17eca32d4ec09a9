"""Heading patterns research documents use."""

import pytest

from extractors.sections import load_heading_rules, section_path, segment_sections

RULES = load_heading_rules()


def kinds(text):
    return [(s.kind, s.text) for s in segment_sections(text, 0, len(text), (), rules=RULES)]


@pytest.mark.parametrize(
    "body, kind, heading",
    [
        ("一、深刻认识全市政协工作会议的重要意义\n正文。", "chinese_numeral", "一、深刻认识全市政协工作会议的重要意义"),
        ("(一)提高政治站位,深入学习贯彻会议精神。市委政协工作会议召开以后。", "paren_chinese", "(一)提高政治站位,深入学习贯彻会议精神。"),
        ("（二）目标要求\n正文。", "paren_chinese", "（二）目标要求"),
        ("1.建立委员履职档案。由市政协办公室负责。", "arabic", "1.建立委员履职档案。"),
        ("（1）委员基本信息。", "paren_arabic", "（1）委员基本信息。"),
        ("——坚持守正创新,高效务实推动政协改革。认真贯彻落实。", "dash_lead", "——坚持守正创新,高效务实推动政协改革。"),
        ("◆提高政治把握能力、调查研究能力。", "bullet", "◆提高政治把握能力、调查研究能力。"),
        ("首先，要提高认识。然后。", "ordinal_word", "首先，要提高认识。"),
        ("要及时传达学习。政协党组要及时研究部署。", "run_in", "要及时传达学习。"),
        # a short heading line keeps its topic after the comma
        ("(一)围绕中心,强化政治协商职能\n正文。", "paren_chinese", "(一)围绕中心,强化政治协商职能"),
        # the marker's own comma does not end the heading
        (
            "第一,在发挥委员主体作用方面,各级政协把充分发挥委员主体作用作为履行职能的重要基础和关键切实抓紧抓好。",
            "ordinal_word",
            "第一,在发挥委员主体作用方面",
        ),
    ],
)
def test_sections_heading_patterns(body, kind, heading):
    assert (kind, heading) in kinds("标题\n" + body)


def test_sections_inline_enumeration():
    text = "标题\n会议强调,要健全机制。一要增强协商议政的精度。围绕中心。二要提升履职为民的温度。"
    found = kinds(text)
    assert ("enumeration", "一要增强协商议政的精度。") in found
    assert ("enumeration", "二要提升履职为民的温度。") in found


def test_sections_tree_paths_on_seed(seed_results):
    _, results = seed_results["000_c4eeb4407c4e4302.txt"]
    sections = results[0].sections
    paths = [section_path(i, sections) for i in range(len(sections))]
    assert ("三、认真贯彻全市政协工作会议的任务要求", "要及时传达学习。") in paths
    assert ("2023年工作回顾",) not in paths


def test_sections_aspect_lead_closes_the_enumeration_before_it():
    text = (
        "标题\n要求机关干部掌握五个“会”，一是会讲普通话，二是会撰写读书心得体会。"
        "在构建创新型机关方面，明年将评选若干名优秀政协工作者。"
    )
    sections = segment_sections(text, 0, len(text), (), rules=RULES)
    award = text.index("明年将评选")
    governing = [s for s in sections if s.start <= award < s.content_end]
    assert [s.text for s in governing] == ["在构建创新型机关方面"]


def test_sections_a_line_of_unicode_spaces_is_not_a_heading():
    text = "标题\n三、2024年政府工作任务\n\u2003\n要坚持稳中求进。\n"
    assert [s.text for s in segment_sections(text, 0, len(text), (), rules=RULES)] == ["三、2024年政府工作任务"]
