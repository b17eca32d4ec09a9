"""Symbolic links: one that leaves the corpus folder is not followed, a loop is reported."""

from __future__ import annotations

import os

from conftest import SEEDS, assert_seeds_read, errors_of, run_folder


def test_link_out_of_the_corpus_is_not_followed(corpus, tmp_path):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("政协委员不得外传的内容。", encoding="utf-8")
    (corpus / "leak.txt").symlink_to(secret)
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "elsewhere").symlink_to(secret.parent, target_is_directory=True)
    batch = run_folder(corpus)
    for name, target in (("leak.txt", secret), ("passwd.txt", "/etc/passwd"), ("elsewhere", secret.parent)):
        [row] = errors_of(batch, name)
        assert row["stage"] == "read"
        assert row["reason"] == f"symbolic link to {target}, outside the corpus folder {corpus.resolve()}: not followed"
    assert all("政协委员不得外传" not in s.text and "root:" not in s.text for s in batch.sources)
    assert_seeds_read(batch)


def test_link_loops_are_reported(corpus):
    sub = corpus / "sub"
    sub.mkdir()
    (sub / "up").symlink_to("..", target_is_directory=True)  # a folder back to its parent
    (corpus / "a.txt").symlink_to("b.txt")  # two links pointing at each other
    (corpus / "b.txt").symlink_to("a.txt")
    batch = run_folder(corpus)
    [up] = errors_of(batch, "up")
    assert up["reason"] == f"symbolic link loop: up points back to the folder it is in ({corpus.resolve()}): not followed"
    for name, target in (("a.txt", "b.txt"), ("b.txt", "a.txt")):
        [row] = errors_of(batch, name)
        assert row["reason"] == f"symbolic link loop ({name} → {target} leads back to itself): not followed"
    assert_seeds_read(batch)


def test_link_inside_the_corpus_is_read_and_broken_link_reported(corpus):
    (corpus / "same.txt").symlink_to(SEEDS[0].name)
    os.symlink("missing.txt", corpus / "broken.txt")
    (corpus / "mirror").symlink_to(".", target_is_directory=True)  # the corpus itself: a loop
    batch = run_folder(corpus)
    assert errors_of(batch, "same.txt") == []
    assert "same.txt" in {s.source_path for s in batch.sources}
    [broken] = errors_of(batch, "broken.txt")
    assert broken["reason"] == "symbolic link to missing.txt, which does not exist: not followed"
    [mirror] = errors_of(batch, "mirror")
    assert mirror["reason"].startswith("symbolic link loop: mirror points back")
    assert_seeds_read(batch)
