"""Gold measures as the classifier meets them in a run: context from the extractors,
classes the taxonomy knows, and the training gold never holding the test part."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.class_data import gold_classified, gold_source, measure_inputs
from models.decision_data import analyse_gold, load_gold_documents
from models.training import build_training_set

DATA = Path(__file__).resolve().parent / "data"
HEADING_TWO = "二、准确把握全市政协工作会议的主要精神"
HEADING_TWO_ONE = "积极探索政协履行职能的制度机制。"


@pytest.fixture(scope="module")
def tiny():
    from extractors.documents import load_resources

    return analyse_gold(load_gold_documents(DATA / "gold_tiny.jsonl", None), load_resources())


def test_class_data_gold_measures_take_the_extractors_context(tiny):
    gold = [g for g in gold_classified(tiny) if g.source_path.startswith("000_")]
    assert [(g.input.text, g.label) for g in gold] == [
        ("全面推进政协职能的制度化、规范化和程序化", "INSTITUTIONS"),
        ("进一步密切联络各界", "OUTREACH"),
        ("建立健全与政协章程相配套的制度", "INSTITUTIONS"),
    ]
    # the innermost heading, the path above it, the sentence, the genre, a section key
    assert all((g.input.heading, g.input.path) == (HEADING_TWO_ONE, HEADING_TWO) for g in gold[:2])
    assert all(g.input.text in g.input.sentence for g in gold)
    assert {g.input.genre for g in gold} == {tiny[0].result.document.doc_type}
    assert gold[0].input.section and gold[0].input.section == gold[1].input.section


def test_class_data_training_leaves_out_classes_not_in_the_taxonomy(tiny, taxonomy, settings):
    items = build_training_set(taxonomy, gold_classified(tiny), settings=settings)
    assert [(i.input.text, i.label, i.weight) for i in items if i.source == "gold"] == [
        ("全面推进政协职能的制度化、规范化和程序化", "INSTITUTIONS", settings.training_weights["gold"]),
        ("建立健全与政协章程相配套的制度", "INSTITUTIONS", settings.training_weights["gold"]),
    ]
    assert {i.group for i in items if i.source == "gold"} == {tiny[0].gold.group}


def test_class_data_measure_inputs_read_as_catalogue_rows(tiny):
    from pipelines.outputs import catalogue_entries
    from models.classifier import ClassifierInput

    d = tiny[0]
    result = d.result.__class__(**{**d.result.__dict__, "measures": d.result.candidates[:5]})
    from_rows = [ClassifierInput.from_entry(e) for e in catalogue_entries(result, d.source)]
    assert measure_inputs(result, d.source.text) == from_rows


def test_class_data_gold_source_key_follows_the_files_and_extractors(tmp_path):
    documents = load_gold_documents(DATA / "gold_tiny.jsonl", None)
    analysed = []
    first = gold_source(documents, "extractors-1", lambda docs: analysed.append(docs) or [])
    assert first.key == gold_source(documents, "extractors-1", list).key
    assert first.key != gold_source(documents, "extractors-2", list).key
    assert first.key != gold_source(documents[:1], "extractors-1", list).key
    assert not analysed  # nothing is analysed until a model has to be trained
    first.load()
    assert analysed == [documents]


def test_class_data_gold_source_key_is_the_same_in_every_process():
    """The key of the run's training gold (measures hold sets of bodies) does not follow the
    process's string hashing: a second run finds the model the first trained."""
    import os
    import subprocess
    import sys

    code = "from pipelines.classify import training_gold; g = training_gold(); print(g.key if g else None)"
    keys = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip().splitlines()[-1]
            for seed in ("1", "2", "3")}
    assert len(keys) == 1


def test_class_data_run_gold_never_holds_the_test_part():
    from models.scoring import DEV_GOLD, load_gold
    from pipelines.classify import training_gold

    source = training_gold()
    if not DEV_GOLD.exists():
        pytest.skip("no development gold in this copy")
    test = [g for g in load_gold(DEV_GOLD) if g.split == "test"]
    train = [g for g in load_gold(DEV_GOLD) if g.split == "train"]
    items = source.load()
    assert {i.source_path for i in items}.isdisjoint({g.source_path for g in test})
    assert {i.source_path for i in items} >= {g.source_path for g in train if g.measures}
    assert not {i.group for i in items} & {g.group for g in test}


@pytest.mark.parametrize("rewrite", ["traditional", "half_width"])
def test_class_data_a_traditional_or_half_width_copy_gets_the_same_class_and_scores(tiny, taxonomy, settings, rewrite):
    """Catalogue entries of a real page, and the same entries with every field in
    traditional characters or half-width punctuation, as the source would give them."""
    from dataclasses import replace

    from models.classifier import ClassifierInput
    from models.training import train_model
    from pipelines.outputs import catalogue_entries
    from rewrites import REWRITES

    model = train_model(taxonomy, build_training_set(taxonomy, gold_classified(tiny), settings=settings), settings, cross_validate=False)
    d = tiny[0]
    result = d.result.__class__(**{**d.result.__dict__, "measures": d.result.candidates[:60]})
    entries = list(catalogue_entries(result, d.source))
    change = lambda text: REWRITES[rewrite](text)[0]  # noqa: E731
    copies = [
        replace(e, text=change(e.text), sentence=change(e.sentence), object=change(e.object),
                section_path=tuple(change(h) for h in e.section_path), bodies=tuple(replace(b, canonical=change(b.canonical)) for b in e.bodies))
        for e in entries
    ]
    assert sum(c.sentence != e.sentence for c, e in zip(copies, entries)) > len(entries) // 2  # the rewrite changed the text
    before = model.classify([ClassifierInput.from_entry(e) for e in entries])
    after = model.classify([ClassifierInput.from_entry(c) for c in copies])
    for b, a in zip(before, after):
        assert a.category == b.category
        assert a.scores == pytest.approx(b.scores, abs=1e-9)
