"""A run's trained classifier lives in a user cache folder, never inside the package."""

from __future__ import annotations

from pathlib import Path

from pipelines.classify import cache_dir, classifier_dir, load_model

PROJECT = Path(__file__).resolve().parents[2]


def test_classify_cache_folder_follows_the_environment(tmp_path):
    home = Path.home()
    assert cache_dir({}) == home / ".cache" / "policycat"
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path / "xdg")}) == tmp_path / "xdg" / "policycat"
    assert cache_dir({"XDG_CACHE_HOME": "relative/xdg"}) == home / ".cache" / "policycat"
    chosen = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "POLICYCAT_CACHE": str(tmp_path / "mine")}
    assert cache_dir(chosen) == tmp_path / "mine"
    assert classifier_dir(chosen) == tmp_path / "mine" / "classifier"


def test_classify_model_is_written_to_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYCAT_CACHE", str(tmp_path))
    model = load_model()
    assert model.path.parent == tmp_path / "classifier" and model.path.exists()
    assert PROJECT not in model.path.parents
    assert load_model().reused
