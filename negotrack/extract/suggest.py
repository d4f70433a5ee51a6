"""What extraction may have missed in an article, for an analyst to look at.

Extraction draws about a third of what an analyst draws from news it was not tuned on. To find
the rest an analyst need not reread every sentence: these are the few worth a look, learned
readings the typer scored below its threshold (down to `suggest_threshold`), run through every
check like any reading, and cues a check set aside while naming a thread. They are shown, never
recorded: `add-event` records the ones the analyst accepts.
"""

from __future__ import annotations

from negotrack.extract.assemble import extract_article
from negotrack.lexicon import Lexicon
from negotrack.model import Article, Extraction, Suggestion, ThreadDef, Vocabulary


def suggestions(
    article: Article, extraction: Extraction, vocabulary: Vocabulary, threads: dict[str, ThreadDef], lexicon: Lexicon,
) -> list[Suggestion]:
    """Possible misses of `extraction` (this article's events), in article order, one per
    thread, type and sentence span."""
    floor = lexicon.settings.suggest_threshold
    wide = lexicon.model_copy(update={"settings": lexicon.settings.model_copy(
        update={"model_threshold": floor, "model_second_threshold": floor})})
    have = {(e.thread, e.type, e.date) for e in extraction.events}
    out: dict[tuple[str, str, int], Suggestion] = {}
    for e in extract_article(article, vocabulary, threads, wide).events:
        if e.stage != "model" or (e.thread, e.type, e.date) in have:
            continue
        p = (e.cue or "").rpartition("p=")[2]
        out.setdefault((e.thread, e.type, e.evidence.start), Suggestion(
            path=article.path, thread=e.thread, type=e.type, date=e.date, quote=e.evidence.quote,
            start=e.evidence.start, end=e.evidence.end,
            why=f"learned reading, p={p}, under the {lexicon.settings.model_threshold} it takes to record",
        ))
    recorded = {(e.thread, e.type) for e in extraction.events}
    for d in extraction.discarded:
        told_again = (d.thread, d.type) in recorded and d.reason.startswith("the same happening")
        if d.thread is None or d.type not in vocabulary.event_type_names or told_again:
            continue
        out.setdefault((d.thread, d.type, d.start), Suggestion(
            path=article.path, thread=d.thread, type=d.type, date=None, quote=d.quote, start=d.start, end=d.end,
            why=f"set aside: {d.reason}",
        ))
    return sorted(out.values(), key=lambda s: (s.start, s.type))
