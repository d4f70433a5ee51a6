"""Score extraction and phases against a corpus folder's gold.yaml, exactly as the spec says.

Event scoring: a prediction matches a gold event of the same thread and type at most one day
apart; each gold event matches one prediction at most; predictions matching an `optional` event
are set aside; micro precision/recall/F1 over the corpus. Phase scoring: each thread replayed from
a state of the gold's `initial:` phase with the events known by each checkpoint.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator, Iterable, Optional, Sequence, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from negotrack.articles import read_article
from negotrack.errors import InputError
from negotrack.extract import Proposer, extract_article
from negotrack.lexicon import Lexicon
from negotrack.model import Event, Evidence, Source, ThreadDef, Vocabulary
from negotrack.replay import initial_state_for_phase, replay, rules_for
from negotrack.yamlio import load_yaml

TOLERANCE_DAYS = 1


# --- the gold file -------------------------------------------------------------------------------


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class GoldEvent(_Loose):
    thread: str
    type: str
    date: dt.date
    expected: Optional[dt.date] = None
    evidence: str = ""


class GoldArticle(_Loose):
    file: str
    published: Optional[dt.date] = None
    events: tuple[GoldEvent, ...] = ()
    optional: tuple[GoldEvent, ...] = ()

    @field_validator("events", "optional", mode="before")
    @classmethod
    def _none(cls, v: object) -> object:
        return () if v is None else v


class Checkpoint(_Loose):
    thread: str
    date: dt.date
    phase: tuple[str, ...]

    @field_validator("phase", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        return (v,) if isinstance(v, str) else v


class Gold(_Loose):
    initial: dict[str, str] = Field(default_factory=dict)
    articles: tuple[GoldArticle, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()


def load_gold(path: Path) -> Gold:
    """Read a gold.yaml safely; problems are InputErrors naming the file and line."""
    doc = load_yaml(path)
    if doc.data is not None and not isinstance(doc.data, dict):
        raise doc.error((), "not a gold file: expected a mapping (initial, articles, checkpoints)")
    try:
        return Gold(**(doc.data or {}))
    except ValidationError as exc:
        err = exc.errors()[0]
        raise doc.error(tuple(err["loc"]), f"not a gold file: {'.'.join(map(str, err['loc']))}: {err['msg']}") from None


# --- the report ----------------------------------------------------------------------------------


class Scored(GoldEvent):
    """One predicted or gold event as shown in a report."""

    cue: Optional[str] = None
    confidence: Optional[float] = None
    gold_evidence: str = ""


class FileReport(_Loose):
    file: str
    published: Optional[dt.date] = None
    tp: int = 0
    fp: int = 0
    fn: int = 0
    set_aside: int = 0
    thread_errors: int = 0  # extras that are a gold event of another thread: the right happening, the wrong talks
    matched: tuple[Scored, ...] = ()
    misses: tuple[Scored, ...] = ()
    extras: tuple[Scored, ...] = ()
    optional_hits: tuple[Scored, ...] = ()
    error: Optional[str] = None


class CheckpointResult(_Loose):
    thread: str
    date: dt.date
    gold: tuple[str, ...]
    predicted: str  # machine-aware replay, as `status` does it
    ok: bool
    predicted_plain: str = ""  # every event applied that the machine takes (`replay --plain`)
    ok_plain: bool = False
    from_gold: str = ""  # the phase the gold's own events give: what a perfect extraction could score
    ok_from_gold: bool = False


class Figures(_Loose):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    set_aside: int = 0
    thread_errors: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    checkpoints: int = 0
    checkpoints_ok: int = 0
    phase_accuracy: float = 0.0
    checkpoints_ok_plain: int = 0
    phase_accuracy_plain: float = 0.0
    checkpoints_ok_from_gold: int = 0  # the ceiling: checkpoints the gold's own events get right
    phase_accuracy_from_gold: float = 0.0


class EvalReport(_Loose):
    corpus: str
    figures: Figures
    files: tuple[FileReport, ...]
    checkpoints: tuple[CheckpointResult, ...]


class CombinedReport(_Loose):
    figures: Figures
    corpora: tuple[EvalReport, ...]


def _figures(
    tp: int, fp: int, fn: int, aside: int, cps: int, cps_ok: int, cps_plain: int = 0, thread_errors: int = 0, cps_gold: int = 0,
) -> Figures:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Figures(
        tp=tp, fp=fp, fn=fn, set_aside=aside, thread_errors=thread_errors, precision=round(p, 4), recall=round(r, 4), f1=round(f, 4),
        checkpoints=cps, checkpoints_ok=cps_ok, phase_accuracy=round(cps_ok / cps, 4) if cps else 0.0,
        checkpoints_ok_plain=cps_plain, phase_accuracy_plain=round(cps_plain / cps, 4) if cps else 0.0,
        checkpoints_ok_from_gold=cps_gold, phase_accuracy_from_gold=round(cps_gold / cps, 4) if cps else 0.0,
    )


# --- scoring -------------------------------------------------------------------------------------


def _near(a: dt.date, b: dt.date) -> bool:
    return abs((a - b).days) <= TOLERANCE_DAYS


def _scored(e: Event) -> Scored:
    return Scored(thread=e.thread, type=e.type, date=e.date, expected=e.expected, evidence=e.evidence.quote, cue=e.cue, confidence=e.confidence)


def _gold_scored(g: GoldEvent) -> Scored:
    return Scored(thread=g.thread, type=g.type, date=g.date, expected=g.expected, gold_evidence=g.evidence)


def score_file(predicted: Sequence[Event], gold: GoldArticle) -> FileReport:
    """Match one file's predictions to its gold: the closest dates pair first, each gold once."""
    pairs = sorted(
        (abs((p.date - g.date).days), i, j)
        for i, p in enumerate(predicted)
        for j, g in enumerate(gold.events)
        if p.thread == g.thread and p.type == g.type and _near(p.date, g.date)
    )
    used_p: dict[int, int] = {}
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p[i] = j
            used_g.add(j)
    matched, extras, aside = [], [], []
    for i, p in enumerate(predicted):
        if i in used_p:
            matched.append(_scored(p).model_copy(update={"gold_evidence": gold.events[used_p[i]].evidence}))
        elif any(p.thread == o.thread and p.type == o.type and _near(p.date, o.date) for o in gold.optional):
            aside.append(_scored(p))
        else:
            extras.append(_scored(p))
    misses = [_gold_scored(g) for j, g in enumerate(gold.events) if j not in used_g]
    told = (*gold.events, *gold.optional)
    wrong_thread = sum(
        1 for e in extras if any(g.thread != e.thread and g.type == e.type and _near(g.date, e.date) for g in told)
    )
    return FileReport(
        file=gold.file, tp=len(matched), fp=len(extras), fn=len(misses), set_aside=len(aside), thread_errors=wrong_thread,
        matched=tuple(matched), misses=tuple(misses), extras=tuple(extras), optional_hits=tuple(aside),
    )


def _as_event(g: GoldEvent, file: str, published: dt.date) -> Event:
    """A gold event as an analyst's event (trusted like `add-event`): replaying these gives the
    phases a perfect extraction would give, the ceiling of the corpus's checkpoints."""
    return Event(
        thread=g.thread, type=g.type, date=g.date, expected=g.expected, reported=published,
        source=Source(path=file), evidence=Evidence(quote=g.evidence or g.type, start=0, end=len(g.evidence)),
        origin="manual", confidence=1.0,
    )


def phase_at(
    thread: ThreadDef, events: Sequence[Event], initial_phase: str, checkpoint: dt.date,
    vocabulary: Optional[Vocabulary] = None, plain: bool = False,
) -> str:
    """The phase replay gives on `checkpoint`, starting in the gold's initial phase."""
    start = initial_state_for_phase(thread, initial_phase)
    result = replay(
        thread, list(events), initial_state=start, as_of=checkpoint, known_at=checkpoint,
        rules=rules_for(vocabulary, thread), plain=plain,
    )
    return result.phase


def evaluate_corpus(
    corpus_dir: Path, vocabulary: Vocabulary, threads: dict[str, ThreadDef], lexicon: Lexicon,
    proposers: Optional[Sequence[Proposer]] = None, analyst: Optional[Gold] = None,
) -> EvalReport:
    """Extract every article the gold lists and score events and checkpoint phases.
    `proposers` as in `extract_article`: None for the shipped learned stage, () for rules alone.
    With `analyst` (a second annotation of the same articles), its events are scored instead of
    extraction's, in the same way: how far two analysts agree is the ceiling to read F1 against."""
    gold = load_gold(corpus_dir / "gold.yaml")
    files: list[FileReport] = []
    all_events: list[Event] = []
    gold_events: list[Event] = []
    for ga in gold.articles:
        path = corpus_dir / ga.file
        try:
            article = read_article(path, ga.published, display_path=ga.file)
        except InputError as exc:
            gold_events.extend(_as_event(g, ga.file, ga.published or g.date) for g in ga.events)
            files.append(FileReport(file=ga.file, fn=len(ga.events), misses=tuple(_gold_scored(g) for g in ga.events), error=exc.message))
            continue
        gold_events.extend(_as_event(g, ga.file, article.published) for g in ga.events)
        if analyst is not None:
            theirs = next((a.events for a in analyst.articles if a.file == ga.file), ())
            events = [_as_event(g, ga.file, article.published) for g in theirs]
        else:
            events = list(extract_article(article, vocabulary, threads, lexicon, proposers).events)
        all_events.extend(events)
        files.append(score_file(events, ga).model_copy(update={"published": article.published}))
    results: list[CheckpointResult] = []
    for cp in gold.checkpoints:
        thread = threads.get(cp.thread)
        if thread is None:
            results.append(CheckpointResult(thread=cp.thread, date=cp.date, gold=cp.phase, predicted="(no definition)", ok=False))
            continue
        mine = [e for e in all_events if e.thread == cp.thread]
        initial = gold.initial.get(cp.thread, "dormant")
        phase = phase_at(thread, mine, initial, cp.date, vocabulary)
        plain = phase_at(thread, mine, initial, cp.date, vocabulary, plain=True)
        ceiling = phase_at(thread, [e for e in gold_events if e.thread == cp.thread], initial, cp.date, vocabulary)
        results.append(CheckpointResult(
            thread=cp.thread, date=cp.date, gold=cp.phase, predicted=phase, ok=phase in cp.phase,
            predicted_plain=plain, ok_plain=plain in cp.phase, from_gold=ceiling, ok_from_gold=ceiling in cp.phase,
        ))
    figures = _figures(
        sum(f.tp for f in files), sum(f.fp for f in files), sum(f.fn for f in files),
        sum(f.set_aside for f in files), len(results), sum(r.ok for r in results), sum(r.ok_plain for r in results),
        sum(f.thread_errors for f in files), sum(r.ok_from_gold for r in results),
    )
    return EvalReport(corpus=str(corpus_dir), figures=figures, files=tuple(files), checkpoints=tuple(results))


def combine(reports: Iterable[EvalReport]) -> CombinedReport:
    """Micro figures over several corpora (each may have its own thread definitions)."""
    reps = tuple(reports)
    f = [r.figures for r in reps]
    return CombinedReport(
        figures=_figures(sum(x.tp for x in f), sum(x.fp for x in f), sum(x.fn for x in f), sum(x.set_aside for x in f),
                         sum(x.checkpoints for x in f), sum(x.checkpoints_ok for x in f), sum(x.checkpoints_ok_plain for x in f),
                         sum(x.thread_errors for x in f), sum(x.checkpoints_ok_from_gold for x in f)),
        corpora=reps,
    )


def evaluate_many(
    dirs: Iterable[Union[Path, str]], vocabulary: Vocabulary, threads: dict[str, ThreadDef], lexicon: Lexicon,
    proposers: Optional[Sequence[Proposer]] = None,
) -> CombinedReport:
    """Several corpus folders scored with one set of definitions, micro-averaged together."""
    return combine(evaluate_corpus(Path(d), vocabulary, threads, lexicon, proposers) for d in dirs)


# --- calibration ---------------------------------------------------------------------------------


class ReliabilityBin(_Loose):
    """Events whose confidence falls in [low, high): how many, and how many were right."""

    low: float
    high: float
    events: int
    right: int
    mean_confidence: float
    share_right: float


def judged(report: EvalReport) -> Iterator[tuple[Scored, bool]]:
    """Every predicted event of a report with whether it was right; optional matches are left
    out, as scoring sets them aside."""
    for f in report.files:
        yield from ((e, True) for e in f.matched)
        yield from ((e, False) for e in f.extras)


def reliability(reports: Iterable[EvalReport], bins: int = 10) -> tuple[ReliabilityBin, ...]:
    """The reliability table: a confidence means what it says when, in each bin, the share of
    right events is close to the mean confidence."""
    found: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for r in reports:
        for e, ok in judged(r):
            c = e.confidence if e.confidence is not None else 0.0
            found[min(bins - 1, max(0, int(c * bins)))].append((c, ok))
    out = []
    for i, items in enumerate(found):
        n = len(items)
        right = sum(ok for _, ok in items)
        out.append(ReliabilityBin(
            low=round(i / bins, 2), high=round((i + 1) / bins, 2), events=n, right=right,
            mean_confidence=round(sum(c for c, _ in items) / n, 3) if n else 0.0,
            share_right=round(right / n, 3) if n else 0.0,
        ))
    return tuple(out)


def render_reliability(table: Sequence[ReliabilityBin]) -> str:
    rows = ["confidence   events  right  mean conf.  share right"]
    for b in table:
        if b.events:
            rows.append(f"{b.low:.1f}–{b.high:.1f}   {b.events:6d} {b.right:6d}  {b.mean_confidence:10.2f}  {b.share_right:11.2f}")
    n = sum(b.events for b in table)
    gap = sum(b.events * abs(b.mean_confidence - b.share_right) for b in table) / n if n else 0.0
    rows.append(f"expected calibration error: {gap:.3f} over {n} events")
    return "\n".join(rows)


# --- text ----------------------------------------------------------------------------------------


def _line(e: Scored) -> str:
    exp = f" expected {e.expected}" if e.expected else ""
    quote = e.evidence or e.gold_evidence
    return f"{e.thread} {e.type} {e.date}{exp}: \"{quote[:150]}\""


def render_report(report: EvalReport, verbose: bool = True) -> str:
    """A readable report: the figures, every miss and extra with its evidence, each checkpoint."""
    f = report.figures
    out = [
        f"{report.corpus}",
        f"  events: P {f.precision:.3f}  R {f.recall:.3f}  F1 {f.f1:.3f}  (TP {f.tp}, FP {f.fp}, FN {f.fn}, optional set aside {f.set_aside}; "
        f"{f.thread_errors} of the FP on the wrong thread)",
        f"  phases: {f.checkpoints_ok}/{f.checkpoints} checkpoints right ({f.phase_accuracy:.3f}); "
        f"plain replay {f.checkpoints_ok_plain}/{f.checkpoints} ({f.phase_accuracy_plain:.3f}); "
        f"the gold's own events {f.checkpoints_ok_from_gold}/{f.checkpoints}",
    ]
    if verbose:
        for fr in report.files:
            if fr.error:
                out.append(f"  {fr.file}: ERROR {fr.error}")
            if not (fr.misses or fr.extras):
                continue
            out.append(f"  {fr.file} (TP {fr.tp}, FP {fr.fp}, FN {fr.fn})")
            out += [f"    miss  {_line(e)}" for e in fr.misses]
            out += [f"    extra {_line(e)}" for e in fr.extras]
        for cp in report.checkpoints:
            mark = "ok " if cp.ok else "BAD"
            plain = "" if cp.predicted_plain == cp.predicted else f" (plain replay {cp.predicted_plain})"
            own = "" if cp.ok_from_gold else f" (the gold's own events give {cp.from_gold})"
            out.append(f"  {mark} {cp.thread} {cp.date}: gold {'/'.join(cp.gold)}, replay {cp.predicted}{plain}{own}")
    return "\n".join(out)
