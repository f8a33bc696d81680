"""The related-articles benchmark runs end to end on a small corpus of our own."""

import json

from django.core.management import call_command

from tests.articles.test_recommendations import FILLER, STORIES


def test_bench_command_loads_a_corpus_and_prints_precision_against_baselines(
    tmp_path, capfd, monkeypatch
):
    monkeypatch.setenv("NEWSROOM_BENCH_DIR", str(tmp_path / "bench"))
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w") as out:
        for story, sentences in STORIES.items():
            for i in range(6):
                paragraphs = [f"{sentences[(i + k) % 4]} {FILLER}" for k in range(3)]
                row = {"id": f"{story}{i}", "title": f"{story} {i}", "paragraphs": paragraphs}
                out.write(json.dumps({**row, "category": story}) + "\n")
        out.write(json.dumps({**row, "category": story}) + "\n")  # an exact duplicate

    call_command("bench_related", str(corpus))

    printed = capfd.readouterr().out
    assert "1 exact duplicates dropped" in printed
    assert "24 articles, 4 categories; sections and tags withheld" in printed
    ours = next(line for line in printed.splitlines() if line.startswith("Newsroom (as"))
    precision = float(ours.split()[-5])
    assert precision > 0.9
    for baseline in ("TF-IDF cosine", "similar_objects()", "Most recent", "Random"):
        assert baseline in printed


def test_bench_explains_when_the_corpus_is_absent(tmp_path, capfd):
    call_command("bench_related", str(tmp_path / "missing.jsonl"))
    assert "SKIPPED" in capfd.readouterr().out
