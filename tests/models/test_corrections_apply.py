"""Corrections: applied to catalogue rows, reported when stale, learned from."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalogue_entries import entry

from extractors.types import Body
from models.classifier import ClassifierInput
from models.corrections import Correction, apply_corrections, load_corrections, read_corrections_xlsx
from extractors.knowledge import DataError
from models.training import build_training_set, train_model
from pipelines.outputs import to_row

DATA = Path(__file__).resolve().parent / "data"


def _rows(model, texts):
    rows = []
    for number, (text, result) in enumerate(zip(texts, model.classify([_input(t) for t in texts])), start=1):
        rows.append(
            entry(
                f"m_{number:04d}",
                text=text,
                category=result.category,
                bodies=[{"start": 0, "end": 3, "mention": "市政协", "canonical": "政协", "level": "city", "explicit": True, "role": None}],
            )
        )
    return rows


def _input(text):
    return ClassifierInput(text)


TEXTS = ("多角度展示墨子文化的厚重底蕴", "精心筹划庆祝活动", "专款专用", "建立委员履职档案")
GOLD = {"m_0001": "PUBLICITY", "m_0002": "PUBLICITY", "m_0003": "SUPPORT"}


def test_corrections_apply_round_trip_marks_rows_and_feeds_training(taxonomy, settings, taxonomy_model):
    rows = _rows(taxonomy_model, TEXTS)
    corrections = [Correction(measure_id, category=code, note="人工改正") for measure_id, code in GOLD.items()]

    corrected, unmatched = apply_corrections(rows, corrections)

    assert unmatched == []
    assert [r.corrected for r in corrected] == [True, True, True, False]
    assert {r.measure_id: r.category for r in corrected[:3]} == GOLD
    assert not rows[0].corrected  # input entries are left alone
    items = build_training_set(taxonomy, corrections=corrected, settings=settings)
    learned = [(i.input.text, i.label) for i in items if i.source == "correction"]
    assert learned == [(TEXTS[0], "PUBLICITY"), (TEXTS[1], "PUBLICITY"), (TEXTS[2], "SUPPORT")]


def test_corrections_apply_retrained_model_follows_the_analyst(taxonomy, settings, taxonomy_model):
    rows = _rows(taxonomy_model, TEXTS)
    assert rows[0].category != "PUBLICITY"  # the model got it wrong before
    corrected, _ = apply_corrections(rows, [Correction("m_0001", category="PUBLICITY")])
    items = build_training_set(taxonomy, corrections=corrected, settings=settings)
    model = train_model(taxonomy, items, settings, cross_validate=False)
    assert model.classify_one(TEXTS[0]).category == "PUBLICITY"


def test_corrections_apply_unmatched_ids_are_reported(taxonomy_model):
    rows = _rows(taxonomy_model, TEXTS[:2])
    corrections = [Correction("m_0001", category="PUBLICITY"), Correction("m_gone", category="MEMBERS")]
    corrected, unmatched = apply_corrections(rows, corrections)
    assert unmatched == ["m_gone"]
    assert [r.corrected for r in corrected] == [True, False]


def test_corrections_apply_reject_flags_and_keeps_the_row(taxonomy_model):
    rows = _rows(taxonomy_model, TEXTS[:2])
    corrected, _ = apply_corrections(rows, [Correction("m_0002", reject=True)])
    assert len(corrected) == 2
    assert corrected[1].rejected and corrected[1].corrected
    assert not corrected[0].rejected


def test_corrections_apply_status_and_bodies_keep_found_bodies(taxonomy_model):
    rows = _rows(taxonomy_model, TEXTS[:1])
    corrected, _ = apply_corrections(rows, [Correction("m_0001", status="DONE", bodies=("政协", "政协委员"))])
    row = corrected[0]
    assert row.status == "DONE"
    assert row.bodies[0] == rows[0].bodies[0]  # the body found in the text is kept, span and all
    assert row.bodies[1] == Body(None, None, "政协委员", "政协委员", None, True)  # named by the analyst: no span
    assert to_row(row)["bodies"][1] == {"mention": "政协委员", "canonical": "政协委员", "level": None, "explicit": True}
    assert row.category == rows[0].category


def test_corrections_load_yaml_sample(taxonomy):
    corrections = load_corrections(DATA / "corrections_sample.yaml", codes=taxonomy.codes)
    assert [(c.measure_id, c.category, c.status, c.bodies, c.reject, c.line) for c in corrections] == [
        ("m_0001", "MEMBERS", None, None, False, 2),
        ("m_0002", None, "DONE", ("政协机关",), False, 6),
        ("m_0003", None, None, None, True, 9),
    ]
    items = build_training_set(taxonomy, corrections=corrections)
    assert [(i.input.text, i.label) for i in items if i.source == "correction"] == [("建立委员履职档案", "MEMBERS")]


@pytest.mark.parametrize(
    "entry, line, fragment",
    [
        ("m_1:\n  category: WOMEN\n", 2, "WOMEN"),
        ("m_1:\n  status: MUST\n", 2, "status"),
        ("m_1:\n  colour: 红\n", 2, "colour"),
        ("m_1:\n  reject: 也许\n", 2, "reject"),
        ("m_1:\n  note: 一\nm_1:\n  note: 二\n", 3, "重复"),
    ],
)
def test_corrections_load_problems_name_file_and_line(tmp_path, taxonomy, entry, line, fragment):
    path = tmp_path / "corrections.yaml"
    path.write_text("# 纠错\n" + entry, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_corrections(path, codes=taxonomy.codes)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (str(path), line + 1)  # +1: the comment line
    assert fragment in problem.message


def test_corrections_read_xlsx(tmp_path, taxonomy):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["measure_id", "category", "status", "bodies", "reject", "note"])
    sheet.append(["m_0001", "MEMBERS", None, None, None, "改类别"])
    sheet.append(["m_0002", None, "DONE", "政协机关、政协委员", None, None])
    sheet.append(["m_0003", None, None, None, "是", None])
    sheet.append([None, None, None, None, None, None])
    path = tmp_path / "corrections.xlsx"
    workbook.save(path)

    corrections = read_corrections_xlsx(path, codes=taxonomy.codes)
    assert [(c.measure_id, c.category, c.status, c.bodies, c.reject, c.line) for c in corrections] == [
        ("m_0001", "MEMBERS", None, None, False, 2),
        ("m_0002", None, "DONE", ("政协机关", "政协委员"), False, 3),
        ("m_0003", None, None, None, True, 4),
    ]


def test_corrections_read_xlsx_unknown_category_names_the_row(tmp_path, taxonomy):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["measure_id", "category"])
    workbook.active.append(["m_0001", "MEMBERS"])
    workbook.active.append(["m_0002", "NOPE"])
    path = tmp_path / "corrections.xlsx"
    workbook.save(path)
    with pytest.raises(DataError) as caught:
        read_corrections_xlsx(path, codes=taxonomy.codes)
    assert [(p.line, "NOPE" in p.message) for p in caught.value.problems] == [(3, True)]
