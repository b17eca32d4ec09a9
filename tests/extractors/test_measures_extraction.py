"""Measures from tiny real snippets of the seeds: splitting, bodies, status, filters."""

from __future__ import annotations

import hashlib

import pytest

from extractors.measures import build_nlp, extract_measures
from extractors.sentences import load_sentence_rules, split_sentences
from extractors.types import Document, SourceText


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def measures_of(text: str, nlp, doc_type: str | None = "opinion"):
    """The snippet as the body of a one-line-titled document (the first line is a title)."""
    full = "标题\n" + text
    source = SourceText("s.txt", "s.txt", "txt", full, "utf-8", hashlib.sha256(full.encode()).hexdigest(), full)
    document = Document("s.txt#1", "s.txt", 0, len(full), doc_type=doc_type, level="county")
    sentences = split_sentences(full, 0, len(full), (), (), rules=load_sentence_rules())
    return extract_measures(source, document, (), sentences, nlp=nlp)


@pytest.mark.parametrize(
    "text, expected",
    [
        # 000: a governing subject, three verb–object clauses
        ("政协党组、常务委员会和主席会议要及时研究部署，提出贯彻意见，带头学习贯彻。", ["研究部署", "提出贯彻意见", "学习贯彻"]),
        # a verb straight before a bare mechanism noun is part of its name: 考核制度, 学习制度
        ("完善和落实考核制度。", ["完善和落实考核制度"]),
        ("建立健全学习制度。", ["建立健全学习制度"]),
        # verbs joined onto a mechanism noun name the mechanism: one measure
        ("健全协商成果采纳、落实和反馈机制。", ["健全协商成果采纳、落实和反馈机制"]),
        # spec: 、 between verb–object clauses splits, ， too
        ("健全委员联络机构、完善委员联络制度，加强对委员的履职培训。", ["健全委员联络机构", "完善委员联络制度", "加强对委员的履职培训"]),
        # 002: one verb with several objects stays one measure
        ("修订《政协党组会议制度》《政协党组民主生活会制度》。", ["修订《政协党组会议制度》《政协党组民主生活会制度》"]),
        # items that modify one mechanism noun are not clauses of their own
        ("要健全深度协商互动、意见充分表达、广泛凝聚共识机制。", ["健全深度协商互动、意见充分表达、广泛凝聚共识机制"]),
    ],
)
def test_measures_one_per_verb_object_clause(text, expected, nlp):
    found = [m.text for m in measures_of(text, nlp)]
    assert len(found) == len(expected)
    for want, got in zip(expected, found):
        assert want in got


@pytest.mark.parametrize(
    "text, bodies",
    [
        ("政协党组、常务委员会和主席会议要及时研究部署，提出贯彻意见，带头学习贯彻。", {"政协党组", "政协常委会", "政协主席会议"}),
        ("市政协办公室要及时了解掌握全市政协组织、广大政协委员学习贯彻会议精神的情况。", {"政协机关"}),
        # 001: the recipient after 给 is not an actor
        ("党委、政府每年给政协提出*至*个协商题目。", {"党委", "政府"}),
        # spec: a pivot verb makes its object act too
        ("市政协党组要组织各专门委员会和委员开展调研。", {"政协党组", "政协专门委员会", "政协委员"}),
    ],
)
def test_measures_explicit_bodies_are_actors(text, bodies, nlp):
    measures = measures_of(text, nlp)
    assert measures
    for measure in measures:
        assert {b.canonical for b in measure.bodies if b.explicit} == bodies


def test_measures_support_role_from_huitong(nlp):
    measures = measures_of("会同市委宣传部门，联合新闻媒体，制定方案。", nlp)
    plan = [m for m in measures if "制定方案" in m.text]
    assert plan and {(b.canonical, b.role) for b in plan[0].bodies} >= {("宣传部门", "support"), ("新闻媒体", "support")}


@pytest.mark.parametrize(
    "text, doc_type, status",
    [
        ("各县(市、区)政协要结合实际，建立健全委员培训制度。", "opinion", "REQUIRED"),
        ("积极探索网络建言、网络协商。", "opinion", "ENCOURAGED"),
        ("建议各县(市、区)政协选择*至*个乡(镇、街道)先行试点。", "report", "RECOMMENDED"),
        ("*县政协先后制定出台《关于提高提案质量的意见》。", "opinion", "DONE"),
        ("市政协最近召开了界别工作会，制定了《xx意见》。", "speech", "DONE"),
        ("计划两年内将全部政协委员培训一次。", "speech", "PLANNED"),
        ("就市政协而言，将协助市委制定民主监督的具体实施意见。", "speech", "PLANNED"),
        ("委员们表示，要积极撰写提案。", "news", "PLANNED"),
        ("县委将把政协工作纳入全县工作总体布局。", "speech", "PLANNED"),
        ("建立委员履职档案。", "opinion", "REQUIRED"),
        ("建立委员履职档案。", "report", "DONE"),
    ],
)
def test_measures_status_from_cues_and_doc_type(text, doc_type, status, nlp):
    measures = measures_of(text, nlp, doc_type)
    assert measures and measures[-1].status == status


@pytest.mark.parametrize(
    "text",
    [
        "大会发言的5个单位和书面交流的15个单位，讲的都很好。",
        "在新形势下加强和改进人民政协工作，是发展社会主义民主政治的重要内容。",
        "为深入贯彻落实全市政协工作会议精神，结合政协工作实际，提出如下贯彻意见。",
        "要提高政治站位，增强使命感、责任感、紧迫感。",
        "全力推动政协工作再上新台阶。",
        "完善机制。",
        # states and outcomes, not actions
        "各专委会职能更加明确、运行更加顺畅。",
        "努力使提出的意见建议郑重而不敷衍。",
        "有效履职的关键在于提高质量。",
        "会议交流时间虽然很短。",
        # a news item's framing meeting, a rule's own enactment and interpretation
        "3月17日下午，县政协召开十一届十五次主席会议。",
        "本办法由县政协办公室负责解释，自印发之日起施行。",
        "现就开展协商议事活动制定如下方案。",
        # statistics and noun phrases of work reports
        "研究生规模达到1144万人。",
        "研究生招生规模扩大。",  # 研究 inside 研究生 is not a verb
        # problems a survey report finds are not measures
        "部分委员对政协工作了解不深，有的提案缺乏调研论证。",
        "委员履职考核结果运用不充分。",
    ],
)
def test_measures_non_measures_are_left_out(text, nlp):
    assert measures_of(text, nlp) == ()


def test_measures_targets_and_initiatives(nlp):
    (measure,) = measures_of("每年对委员至少开展*次集中培训。", nlp)
    kinds = {(t.kind, t.unit, t.value, t.comparator) for t in measure.targets}
    assert ("frequency", "year", 1.0, None) in kinds and ("count", "次", None, ">=") in kinds
    assert measure.placeholder
    (brand,) = measures_of("建设“有事好商量”协商议事室。", nlp)
    assert "有事好商量" in brand.initiatives


def test_measures_ids_stable_across_runs(nlp):
    text = "健全委员联络机构、完善委员联络制度。"
    first = [m.measure_id for m in measures_of(text, nlp)]
    again = [m.measure_id for m in measures_of(text, build_nlp())]
    assert first == again and len(set(first)) == len(first)


def test_measures_traditional_text_keeps_source_script(nlp):
    """Analysed in simplified characters, sliced from the traditional source."""
    trad = "標題\n建立委員履職檔案。"
    simp = "标题\n建立委员履职档案。"
    source = SourceText("t.txt", "t.txt", "txt", trad, "utf-8", "0", simp, script="traditional")
    document = Document("t.txt#1", "t.txt", 0, len(trad), doc_type="opinion")
    sentences = split_sentences(simp, 0, len(simp), (), (), rules=load_sentence_rules())
    (measure,) = extract_measures(source, document, (), sentences, nlp=nlp)
    assert measure.text == "建立委員履職檔案" == trad[measure.start : measure.end]


def _report_statuses(text: str, nlp) -> dict[str, str]:
    from extractors.sections import load_heading_rules, segment_sections

    full = "政府工作报告\n" + text
    source = SourceText("r.txt", "r.txt", "txt", full, "utf-8", hashlib.sha256(full.encode()).hexdigest(), full)
    document = Document("r.txt#1", "r.txt", 0, len(full), doc_type="report", level="county")
    sections = tuple(segment_sections(full, 0, len(full), (), rules=load_heading_rules()))
    sentences = split_sentences(full, 0, len(full), (), sections, rules=load_sentence_rules())
    measures = extract_measures(source, document, sections, sentences, nlp=nlp)
    return {m.text: m.status for m in measures}


def test_measures_report_task_parts_are_not_done(nlp):
    review = "一、主要工作情况\n去年，县政协完善了委员履职档案制度。\n"
    tasks = "二、2015年工作总体部署\n做好今年工作，要把握好以下几点。\n"
    later = "三、加强政协机关建设\n健全机关内部管理制度。\n"
    with_tasks = _report_statuses(review + tasks + later, nlp)
    assert with_tasks["县政协完善了委员履职档案制度"] == "DONE"
    assert with_tasks["健全机关内部管理制度"] == "REQUIRED"  # carried on from the task part


@pytest.mark.parametrize(
    "text, kept",
    [
        # a purpose clause and a prepositional lead are not measures; the clause after them is
        ("为深入推进基层协商民主建设，县政协制定了实施方案。", ["县政协制定了实施方案"]),
        ("各专委会要围绕年度协商计划，提前开展专题调研。", ["开展专题调研"]),
        # 围绕 with its own verb stays a measure
        ("委员要围绕重点提案开展专题视察。", ["委员要围绕重点提案开展专题视察"]),
        # verbs and objects of plans and news items
        ("2024年底前，各镇（街道）全部建成协商议事室。", ["建成协商议事室"]),
        ("县融媒体中心要开设专栏。", ["融媒体中心要开设专栏"]),
        # a rate reached is the preceding measure's figure, not a measure
        ("认真办理政协提案，办复率达到100%。", ["办理政协提案"]),
        # solving a shortage is a measure, though the clause ends in 不足
        ("着力解决基层政协工作力量不足。", ["解决基层政协工作力量不足"]),
    ],
)
def test_measures_leads_are_cut_off_and_the_action_kept(text, kept, nlp):
    assert [m.text for m in measures_of(text, nlp)] == kept


def test_measures_pipeline_leaves_jiebas_global_dictionary_alone():
    """Building it took a second and printed jieba's debug lines through Prefect's log."""
    import subprocess
    import sys

    code = (
        "import jieba\n"
        "from extractors.measures import build_nlp\n"
        "nlp = build_nlp()\n"
        "nlp('建立委员履职档案。')\n"
        "print(jieba.dt.initialized)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert "Prefix dict" not in done.stderr


def test_measures_parts_after_a_dated_review_are_the_years_tasks(nlp):
    later = "二、促进国民经济持续健康发展\n健全机关内部管理制度。\n"
    dated = _report_statuses("一、１９９４年国内工作的回顾\n去年，县政协完善了委员履职档案制度。\n" + later, nlp)
    assert dated["健全机关内部管理制度"] == "REQUIRED"
    # an undated account of practice does not turn what follows into tasks
    plain = _report_statuses("一、基本情况\n去年，县政协完善了委员履职档案制度。\n" + later, nlp)
    assert plain["健全机关内部管理制度"] == "DONE"


def test_measures_pipeline_saves_and_loads(nlp, tmp_path):
    """The pipeline is described by its config: saved to disk, spaCy rebuilds it, same measures."""
    import spacy

    from extractors.measures import PIPES

    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert tuple(loaded.pipe_names) == PIPES
    assert loaded.config["components"]["policycat_measures"]["data_dir"] == ""
    assert not any(loaded.analyze_pipes(pretty=False)["problems"].values())
    text = "政协党组、常务委员会和主席会议要及时研究部署，提出贯彻意见，带头学习贯彻。"
    assert measures_of(text, loaded) == measures_of(text, nlp)
