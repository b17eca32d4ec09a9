"""Files holding several documents: parts, signed articles, duplicates."""


def test_splitting_five_speeches_one_duplicate(seed_results):
    _, results = seed_results["003_c6d22d7c8ab3c4ee.txt"]
    assert len(results) == 5
    duplicates = [r.document for r in results if r.document.duplicate_of]
    assert len(duplicates) == 1
    # the third speech is reprinted inside the fourth
    assert duplicates[0].doc_id.endswith("#3") and duplicates[0].duplicate_of.endswith("#4")


def test_splitting_signed_articles_with_authors(seed_results):
    _, results = seed_results["004_d26b86c6ea9d91ed.txt"]
    authors = [r.document.author for r in results]
    assert authors[:4] == ["欧汉东", "郑小波", "吴康轩", "师明萌"]
    assert all(r.document.doc_type == "article" for r in results[:4])


def test_splitting_header_is_not_a_document(seed_results):
    source, results = seed_results["003_c6d22d7c8ab3c4ee.txt"]
    first = results[0].document
    assert source.text[first.start : first.end].startswith("第一篇")
    assert first.title == "在202_年全市政协工作经验交流会上的讲话"


def test_splitting_single_document_files(seed_results):
    for name in ("000_c4eeb4407c4e4302.txt", "001_c928dd9025f7e819.txt", "002_db615ddd08875ea9.txt"):
        assert len(seed_results[name][1]) == 1
