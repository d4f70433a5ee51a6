"""Extraction throughput on one core: sentences/s and articles/s, beside a baseline measured in
the same run (reading and splitting the same texts alone), so the figure says what extraction
itself costs on this machine.

    python benchmarks/bench_extract.py [--copies N]

Uses the dev corpus (../shared/corpus) when present, else a few invented articles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from negotrack.articles import read_article  # noqa: E402
from negotrack.definitions import load_definitions  # noqa: E402
from negotrack.extract import extract_article  # noqa: E402
from negotrack.lexicon import load_lexicon  # noqa: E402
from negotrack.model import Article  # noqa: E402
from negotrack.sentences import split_article  # noqa: E402

SHARED = REPO.parent / "shared" / "corpus"

INVENTED = [
    "Norland and Estria held talks in Port Venn on Tuesday, Valdoria officials said. The two sides made "
    "progress, a mediator said.\n\nEstria denied that the talks had broken off. If Norland rejects the "
    "proposal, the talks could collapse.\n\nThe delegations are scheduled to meet again next week.",
    "Norland presented a new proposal on Monday. Estria wants a permanent settlement. Sen. Ada Brook, "
    "D-N.Y., said the U.S. backed the talks.\n\nThe weather in Port Venn was mild. Markets rose on Friday.",
]


def corpus() -> tuple[list[Article], object, object]:
    lexicon = load_lexicon(REPO / "states" / "lexicon.yaml")
    if SHARED.exists():
        defs = load_definitions(REPO / "examples" / "states", fallback_vocabulary=REPO / "states" / "vocabulary.yaml")
        paths = sorted(p for d in SHARED.iterdir() if d.is_dir() for p in d.iterdir() if p.suffix in (".txt", ".md") and p.name[:1].isdigit())
        articles = [read_article(p) for p in paths]
        return articles, defs, lexicon
    import yaml
    from negotrack.model import ThreadDef, Vocabulary

    machine = yaml.safe_load((REPO / "states" / "doha-ceasefire.yaml").read_text())
    t = ThreadDef(**{**machine, "id": "harbor", "parties": ["Norland", "Estria"], "mediators": ["Valdoria"], "aliases": ["Port Venn"]})
    vocab = Vocabulary(**yaml.safe_load((REPO / "states" / "vocabulary.yaml").read_text()))
    arts = [Article(path=f"{i}.txt", text=t_, published=dt.date(2024, 3, 22), sha256=hashlib.sha256(t_.encode()).hexdigest()) for i, t_ in enumerate(INVENTED)]
    return arts, (vocab, {"harbor": t}), lexicon


def best_of(repeat: int, work) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=20, help="how many times the texts are repeated")
    ap.add_argument("--repeat", type=int, default=5, help="passes; the fastest is reported")
    args = ap.parse_args()
    base, (vocab, threads), lexicon = corpus()
    # distinct copies (a changed path) so no cache can short-cut repeated texts
    arts = [a.model_copy(update={"path": f"{i}/{a.path}"}) for i in range(args.copies) for a in base]
    extract_article(arts[0], vocab, threads, lexicon)  # compile once, outside the timing

    # best of several passes, as timeit does: on a shared machine the minimum is the figure
    # least disturbed by other work, and baseline and extraction are treated alike
    n_sent = sum(len(split_article(a)) for a in arts)
    t_split = best_of(args.repeat, lambda: [split_article(a) for a in arts])
    n_events = sum(len(extract_article(a, vocab, threads, lexicon).events) for a in arts)
    t_extract = best_of(args.repeat, lambda: [extract_article(a, vocab, threads, lexicon) for a in arts])

    print(f"{len(arts)} articles, {n_sent} sentences, {n_events} events ({'dev corpus' if SHARED.exists() else 'invented texts'} x{args.copies})")
    print(f"baseline  split only : {n_sent / t_split:10.0f} sentences/s  {len(arts) / t_split:8.0f} articles/s")
    print(f"extraction (all)     : {n_sent / t_extract:10.0f} sentences/s  {len(arts) / t_extract:8.0f} articles/s")
    print(f"extraction / baseline: {t_extract / t_split:.1f}x the time of splitting alone; goal >= 5000 sentences/s")


if __name__ == "__main__":
    main()
