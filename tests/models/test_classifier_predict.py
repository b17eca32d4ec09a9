"""The trained classifier: headings count, scores are complete, the model pickles."""

from __future__ import annotations

from dataclasses import replace

import pickle

import numpy as np
import pytest
from catalogue_entries import entry

from models.classifier import CatalogueClassifier, ClassifierInput, classification_from_scores, share_context
from models.training import load_model, save_model

MEMBERS_HEADING = "（四）切实强化对委员队伍的教育和管理"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("建立健全委员培训制度", "MEMBERS"),
        ("建设“有事好商量”协商议事室", "GRASSROOTS"),
        ("委员工作经费列入本级财政预算", "SUPPORT"),
        ("*县政协先后制定《关于提高提案质量的意见》", "ADVICE"),
        ("扎实推进清廉政协建设", "PARTY_BUILDING"),
    ],
)
def test_classifier_predict_spec_measures(taxonomy_model, text, expected):
    assert taxonomy_model.classify_one(text).category == expected


def test_classifier_predict_heading_moves_a_vague_clause(taxonomy_model):
    alone = taxonomy_model.classify_one("健全工作机制")
    under = taxonomy_model.classify_one("健全工作机制", heading=MEMBERS_HEADING)
    assert alone.category != "MEMBERS"
    assert under.category == "MEMBERS"
    assert under.scores["MEMBERS"] > alone.scores["MEMBERS"]


def test_classifier_predict_scores_cover_every_class_in_taxonomy_order(taxonomy, taxonomy_model):
    result = taxonomy_model.classify_one("建立委员履职档案", object="委员履职档案")
    assert list(result.scores) == list(taxonomy.codes)
    assert sum(result.scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert result.confidence == max(result.scores.values())
    assert result.category not in result.secondary


def test_classifier_predict_thresholds_come_from_settings(settings):
    scores = {"MEMBERS": 0.40, "STUDY": 0.35, "OFFICE": 0.10, "SYSTEM": 0.15}
    result = classification_from_scores(
        scores,
        review_threshold=settings.review_threshold,
        secondary_threshold=settings.secondary_threshold,
        secondary_share=settings.secondary_share,
    )
    assert result.category == "MEMBERS"
    assert result.needs_review is (0.40 < settings.review_threshold)
    expected = tuple(
        code
        for code in ("STUDY", "SYSTEM", "OFFICE")
        if scores[code] >= settings.secondary_threshold and scores[code] >= settings.secondary_share * 0.40
    )
    assert result.secondary == expected


def test_classifier_predict_survives_pickle_and_save(tmp_path, taxonomy_model):
    inputs = [ClassifierInput("建立委员履职档案"), ClassifierInput("健全工作机制", heading=MEMBERS_HEADING)]
    expected = taxonomy_model.classifier.predict_proba(inputs)
    restored = pickle.loads(pickle.dumps(taxonomy_model.classifier))
    assert np.allclose(restored.predict_proba(inputs), expected)

    path = save_model(taxonomy_model, tmp_path / "classifier.joblib")
    loaded = load_model(path)
    assert loaded.reused
    assert np.allclose(loaded.classifier.predict_proba(inputs), expected)
    assert loaded.metadata["taxonomy_sha256"] == taxonomy_model.taxonomy.sha256
    for key in ("training_sha256", "classes", "sklearn_version", "date", "cross_validation"):
        assert key in loaded.metadata


def test_classifier_predict_uncalibrated_when_a_class_is_too_small():
    texts = ["建立委员履职档案", "健全委员培训制度", "完善委员考核办法", "开展委员读书活动"]
    labels = ["MEMBERS", "MEMBERS", "MEMBERS", "STUDY"]
    model = CatalogueClassifier(calibration_folds=3).fit([ClassifierInput(t) for t in texts], labels)
    assert model.calibrated_ is False
    assert list(model.classes_) == ["MEMBERS", "STUDY"]
    assert model.predict_proba([ClassifierInput("建立委员档案")]).shape == (1, 2)


def test_classifier_predict_sentence_neighbours_share_scores():
    probabilities = np.array([[0.6, 0.4], [0.2, 0.8], [0.3, 0.7], [0.9, 0.1]])
    sentence = "着力抓好社情民意信息工作，发挥骨干信息员作用，加强机关干部采编能力建设"
    inputs = [
        ClassifierInput("着力抓好社情民意信息工作", sentence=sentence),
        ClassifierInput("发挥骨干信息员作用", sentence=sentence),
        ClassifierInput("加强机关干部采编能力建设", sentence=sentence),
        ClassifierInput("建立委员履职档案", sentence="建立委员履职档案"),
    ]
    mixed = share_context(probabilities, inputs, 1.0)
    assert mixed[0] == pytest.approx((probabilities[0] + (probabilities[1] + probabilities[2]) / 2) / 2)
    assert np.allclose(mixed.sum(axis=1), 1.0)
    assert np.array_equal(mixed[3], probabilities[3])  # alone in its sentence
    assert np.array_equal(share_context(probabilities, inputs, 0.0), probabilities)


def test_classifier_predict_the_same_sentence_in_another_document_is_not_shared():
    """A document's classes must not depend on what else the corpus holds."""
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8]])
    sentence = "加强政协宣传工作，建立委员履职档案。"
    inputs = [ClassifierInput("加强政协宣传工作", sentence=sentence, document="甲#1"), ClassifierInput("建立委员履职档案", sentence=sentence, document="乙#1")]
    assert np.array_equal(share_context(probabilities, inputs, 1.0), probabilities)
    same = [replace(i, document="甲#1") for i in inputs]
    assert not np.array_equal(share_context(probabilities, same, 1.0), probabilities)


def test_classifier_predict_input_from_catalogue_entry():
    row = entry(
        "m1",
        text="建立委员履职档案",
        object="委员履职档案",
        sentence="建立委员履职档案，完善考核办法。",
        section_path=["二、主要任务", "（四）加强委员队伍建设"],
        bodies=["政协办公室", "政协委员", "政协办公室"],
        doc_type="rules",
        title="关于加强委员履职管理的办法",
    )
    item = ClassifierInput.from_entry(row)
    # read as analysed: full-width forms folded
    assert (item.heading, item.path, item.sentence, item.object) == (
        "(四)加强委员队伍建设", "二、主要任务", "建立委员履职档案,完善考核办法。", "委员履职档案"
    )
    assert (item.bodies, item.genre, item.title) == ("政协办公室 政协委员", "rules", "关于加强委员履职管理的办法")
    # the measures under one heading of one document share a section key, nobody else does
    assert item.section == ClassifierInput.from_entry(replace(row, text="完善考核办法")).section
    assert item.section != ClassifierInput.from_entry(replace(row, doc_id="乙#1")).section
    assert ClassifierInput.from_entry(entry("m2", text="建立委员履职档案")) == ClassifierInput("建立委员履职档案", document="甲#1")


def test_classifier_predict_heading_that_is_the_measure_gives_way_to_the_one_above():
    row = entry(
        "m1",
        text="积极帮助贫困户找到并实施一个能稳定增收的致富项目",
        section_path=["（四）深化“我为扶贫攻坚做件事”活动", "三是积极帮助贫困户找到并实施一个能稳定增收的致富项目。"],
    )
    item = ClassifierInput.from_entry(row)
    assert (item.heading, item.path) == ("(四)深化“我为扶贫攻坚做件事”活动", "")


@pytest.mark.parametrize(
    "simplified, traditional, heading_simplified, heading_traditional",
    [
        ("建立健全委员履职档案制度", "建立健全委員履職檔案制度", "", ""),
        ("健全工作机制", "健全工作機制", MEMBERS_HEADING, "（四）切實強化對委員隊伍的教育和管理"),
    ],
)
def test_classifier_predict_traditional_script_scores_as_simplified(
    taxonomy_model, simplified, traditional, heading_simplified, heading_traditional
):
    # catalogue rows keep the source's script; the classifier must see one script
    plain = taxonomy_model.classify_one(simplified, heading=heading_simplified)
    converted = taxonomy_model.classify_one(traditional, heading=heading_traditional)
    assert converted.category == plain.category
    assert converted.scores == pytest.approx(plain.scores)
