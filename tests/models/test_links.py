"""The link decision's parts: synonyms, features of a pair, one-to-one matching, bands."""

from __future__ import annotations

import numpy as np
import pytest

from catalogue_entries import entry
from models.links import FEATURES, LinkModel, LinksSettings, Synonyms, load_synonyms, match_one_to_one, pair_features

SETTINGS = LinksSettings(taken_up=0.6, possible=0.3, broader=1.01, regularization=1.0, precision_targets={"taken_up": 0.8, "possible": 0.3})


def test_links_synonyms_take_the_longest_form_first():
    synonyms = load_synonyms()
    assert synonyms.apply("加强专委会建设") == synonyms.apply("加强专门委员会建设") == "加强专门委员会建设"
    assert synonyms.apply("建设议事协商室") == "建设协商议事室"
    # a written form inside a longer one is not split
    assert Synonyms({"专委": "专门委员会", "专门委员会": "专门委员会"}).apply("专门委员会") == "专门委员会"


def test_links_features_see_synonyms_platforms_and_best_matches():
    city = [entry("c1", text="加强专门委员会建设", object="专门委员会建设", category="COMMITTEES"),
            entry("c2", text="推进“有事好商量”协商议事室建设", initiatives=["有事好商量"], category="GRASSROOTS")]
    county = [entry("k1", "县#1", text="加强专委会建设", object="专委会建设", category="COMMITTEES"),
              entry("k2", "县#1", text="深化“有事好商量”品牌", initiatives=["有事好商量"], category="GRASSROOTS"),
              entry("k3", "县#1", text="加强人员配备", object="人员配备", category="SUPPORT")]
    f = pair_features(city, county)
    assert f.shape == (2, 3, len(FEATURES))
    at = {name: k for k, name in enumerate(FEATURES)}
    assert f[0, 0, at["word"]] > 0.9  # the synonym makes the texts one
    assert f[0, 0, at["row_best"]] == f[0, 0, at["column_best"]] == 1.0
    assert f[0, 0, at["same_class"]] == 1.0 and f[0, 2, at["same_class"]] == 0.0
    assert f[1, 1, at["shared_initiative"]] == 1.0 and f[0, 1, at["shared_initiative"]] == 0.0
    assert f[0, 2, at["row_margin"]] < 0  # another county measure is better for c1


def test_links_matching_is_one_to_one_best_first_and_banded():
    p = np.array([[0.9, 0.8, 0.1], [0.85, 0.4, 0.2]])
    links = match_one_to_one(p, SETTINGS)
    assert [(l.a, l.b, l.band) for l in links] == [(0, 0, "taken_up"), (1, 1, "possible")]
    assert match_one_to_one(np.zeros((2, 0)), SETTINGS) == []


def test_links_a_broader_measure_takes_up_several_in_part():
    p = np.array([[0.9, 0.1], [0.8, 0.2], [0.5, 0.1]])
    # below ``broader`` the second city measure finds its county measure taken
    assert [(l.a, l.b) for l in match_one_to_one(p, SETTINGS)] == [(0, 0)]
    links = match_one_to_one(p, SETTINGS.model_copy(update={"broader": 0.75}))
    assert [(l.a, l.b, l.broader) for l in links] == [(0, 0, True), (1, 0, True)]


def test_links_model_round_trips_and_names_its_reasons():
    model = LinkModel(tuple(float(k == 0) for k in range(len(FEATURES))), -0.5, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), {"note": "x"})
    again = LinkModel.from_json(model.to_json())
    assert again == model
    features = np.zeros(len(FEATURES))
    features[0] = 2.0
    assert model.probability(features[None, :])[0] == pytest.approx(1 / (1 + np.exp(-1.5)))
    assert model.reasons(features) == ["word"]
