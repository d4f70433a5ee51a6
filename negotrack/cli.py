"""The `negotrack` command: read articles → draw events → record them → replay → report.

Bad input is reported as one line per problem naming file and line, with exit status 2 and no
traceback. Heavy imports are made inside the commands, so a warm `status` starts quickly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from negotrack.errors import InputError, InputErrors

if TYPE_CHECKING:
    from negotrack.evaluate import Gold
    from negotrack.model import Extraction, Suggestion
    from negotrack.workspace import Workspace

EXIT_BAD_INPUT = 2


# --- output helpers ------------------------------------------------------------------------


def emit_json(data: Any) -> None:
    import orjson

    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str) + b"\n")
    sys.stdout.flush()


def table(headers: Sequence[str], rows: list[Sequence[str]]) -> str:
    """A plain aligned text table: readable in a terminal, a pipe and a log file alike."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    fmt = lambda row: "  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip()  # noqa: E731
    lines = [fmt(headers), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]
    return "\n".join(lines)


def short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def finish(failures: Sequence[InputError]) -> int:
    """Files that could not be read were skipped while the others went on: say which, and exit 2."""
    for failure in failures:
        print(f"error: {failure.message}", file=sys.stderr)
    return EXIT_BAD_INPUT if failures else 0


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _workspace(args: argparse.Namespace, write: bool = False):
    """The workspace of this command; `write`: one it may write to (never the shipped one)."""
    from negotrack.workspace import resolve

    return resolve(getattr(args, "workspace", None), write=write)


def report_problems(problems: Sequence[str]) -> int:
    """Log lines that were skipped: each named on stderr; the answer stands for the rest."""
    for message in problems:
        print(f"error: {message} (line skipped: fix it, or ingest its article again; `negotrack validate` lists all)", file=sys.stderr)
    return EXIT_BAD_INPUT if problems else 0


# --- commands ------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    from negotrack.workspace import Workspace

    ws = _workspace(args)
    if args.no_cache:
        ws = Workspace(ws.root, use_index=False)
    report = None
    if not args.no_cache:  # the warm path: list files, compare signatures, print the snapshot
        report = ws.index.snapshot(ws.status_key(args.as_of, args.known_at))
    if report is None:  # only now pay for pydantic, transitions and the replay
        from negotrack.report import status_report

        report = status_report(ws, args.as_of, args.known_at, use_snapshot=not args.no_cache)
    result = report["statuses"]
    if args.json:
        emit_json(result)
        return report_problems(report["problems"])
    if not result:
        print(EMPTY_HINT)
        return report_problems(report["problems"])
    rows = []
    for s in result:
        last = s["last_event"]
        tracked = s.get("tracked", True)
        rows.append(
            [
                s["thread"],
                s["state"] or "-",
                s["phase"] or "not yet tracked",
                s["since"] or "-",
                f"{last['date']} {last['type']}" if last else "-",
                str(s["events"]),
                str(s["rejected"]),
                str(s.get("to_review", 0)),
                expected_cell(s) if tracked else f"tracked from {s['starting']['since']}",
            ]
        )
    print(table(["thread", "state", "phase", "since", "last event", "events", "rejected", "to review", "expected"], rows))
    for s in result:
        print(f"\n{s['thread']} — {s['title']}")
        start = s.get("starting")
        if not s.get("tracked", True):
            print(f"  not yet tracked on {args.as_of}: the thread file starts it in {start['state']} on {start['since']}")
        elif start and not s["entered_by"] and (start.get("note") or start.get("since")):
            print(f"  in {start['state']} since {start.get('since') or '?'}, as given by the thread file: {start.get('note') or ''}".rstrip(": "))
            if start.get("source"):
                print(f"  — {start['source']}")
        entered = s["entered_by"]
        if entered:
            sources = entered["sources"]
            first = sources[0]
            backing = f" (+{len(sources) - 1} more source(s))" if len(sources) > 1 else ""
            print(f"  put in {s['state']} by {entered['type']} on {entered['date']} ({entered['from_state']} → {entered['to_state']}):")
            print(f"  “{short(first['quote'], 200)}”")
            print(f"  — {first['path']}, {first['outlet'] or 'published'} {first['reported']}{backing}")
        if s.get("overdue"):
            print(f"  OVERDUE: talks were expected on {s['expected']} and nothing has been reported since")
        for w in s["warnings"]:
            print(f"  warning: {w}")
    return report_problems(report["problems"])


EMPTY_HINT = (
    "no threads in this workspace yet. Add one: a file states/ID.yaml with id, title, aliases and\n"
    "`machine: standard` (see README.md in the workspace, or `negotrack init --example DIR` for two\n"
    "worked examples); then `negotrack ingest ARTICLES` and `negotrack status`."
)


def expected_cell(s: dict) -> str:
    """The status table's `expected` cell: the date scheduled talks wait for, flagged when past."""
    if not s.get("expected"):
        return "-"
    return f"{s['expected']} OVERDUE" if s.get("overdue") else s["expected"]


def cmd_replay(args: argparse.Namespace) -> int:
    from negotrack.report import audit, start_row

    ws = _workspace(args)
    result, steps = audit(ws, args.thread, args.as_of, args.known_at, plain=args.plain)
    problems = [p.message for p in ws.problems]
    start = start_row(result, args.as_of, ws.display(Path(result.thread.path)))
    if args.json:
        emit_json([start.model_dump(mode="json")] + [s.model_dump(mode="json") for s in steps])
        return report_problems(problems)
    thread = result.thread
    print(f"{thread.id} — {thread.title}")
    if not start.tracked:
        print(f"not yet tracked on {args.as_of}: the thread file starts it in {start.state} on {start.since}")
    print()
    given = f"given by {start.given_by}" + (f": {start.note}" if start.note else "")
    rows = [[str(start.since or "-"), "(start)", f"starts in {start.state} ({start.phase})", "-", start.source or "-", given]]
    for s in steps:
        if s.outcome == "rejected":
            move = f"REJECTED ({s.reason})"
        elif s.outcome == "unchanged":
            move = f"{s.from_state} (unchanged)"
        elif s.outcome == "moved":
            move = f"{s.from_state} → {s.to_state}"
        else:  # held, doubted, dismissed: the reason says why
            move = f"{s.outcome.upper()} ({s.reason})"
            if s.blocked:
                move += " blocking " + ", ".join(f"{b.date} {b.type}" for b in s.blocked)
        if s.review is not None and s.outcome != "dismissed":
            move += f" [{s.review.verdict}ed by {s.review.by} {s.review.at.date()}{': ' + s.review.note if s.review.note else ''}]"
        src = s.sources[0]
        more = f" +{len(s.sources) - 1}" if len(s.sources) > 1 else ""
        conf = f"{s.confidence:.2f}" if s.confidence is not None else "-"
        rows.append([s.date.isoformat(), s.type, move, conf, f"{src.path}{more}", "“" + short(src.quote, 70) + "”"])
    print(table(["date", "event", "from → to", "conf", "source", "quote"], rows))
    extra = "" if args.plain else f", {result.held} held, {result.doubted} doubted, {result.to_review} to review"
    print(f"\nnow: {result.state} ({result.phase}); {len(steps)} happening(s), {result.rejected} rejected{extra}")
    return report_problems(problems)


def cmd_review(args: argparse.Namespace) -> int:
    from negotrack.report import review_queue

    ws = _workspace(args)
    queue = review_queue(ws, args.thread)
    if args.json:
        emit_json(queue)
        return 0
    if not queue:
        print("nothing waits for review")
        return 0
    for item in queue:
        conf = f"{item['confidence']:.2f}" if item["confidence"] is not None else "-"
        move = f" ({item['would_move']})" if item["would_move"] else ""
        print(f"{item['event_id']}  {item['thread']}  {item['date']}  {item['type']}{move}  conf {conf}  {item['outcome']}")
        print(f"  {item['reason']}")
        print(f"  “{short(item['quote'], 160)}” — {item['article']}")
    print(f"\n{len(queue)} event(s) wait for review: `negotrack confirm ID` applies one, `negotrack dismiss ID --reason TEXT` sets it aside")
    return 0


def _record_review(args: argparse.Namespace, verdict: str) -> int:
    from negotrack.model import Review
    from negotrack.report import find_event
    from negotrack.reviews import append_review, now_utc, reviewer

    ws = _workspace(args)
    entry = find_event(ws, args.event_id)  # an unknown id stops here: nothing is written
    review = Review(
        event_id=entry.id,
        verdict=verdict,  # type: ignore[arg-type]
        note=args.note,
        reason=getattr(args, "reason", None),
        by=reviewer(args.by),
        at=now_utc(),
        thread=entry.thread,
        type=entry.type,
        date=dt.date.fromisoformat(entry.date),
    )
    append_review(ws.root, review)
    if args.json:
        emit_json(review.model_dump(mode="json"))
    else:
        print(f"{verdict}ed {entry.id}: {entry.thread} {entry.type} {entry.date} (by {review.by})")
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
    return _record_review(args, "confirm")


def cmd_dismiss(args: argparse.Namespace) -> int:
    if not args.reason.strip():
        raise InputError(args.event_id, "dismiss needs a --reason that says why")
    return _record_review(args, "dismiss")


def cmd_validate(args: argparse.Namespace) -> int:
    from negotrack.definitions import LEXICON_FILE
    from negotrack.lexicon import lexicon_problems
    from negotrack.logcheck import Problem, ValidationReport, validate_workspace
    from negotrack.workspace import Workspace, is_workspace, shipped_file

    target = Path(args.path) if args.path else None
    if target is not None and not target.exists():
        raise InputError(str(target), "no such file or folder")
    if target is not None and target.is_file():
        from negotrack.definitions import load_thread, load_vocabulary

        errors: list[InputError] = []
        vocab_file = target.parent / "vocabulary.yaml"
        try:
            vocabulary = load_vocabulary(vocab_file if vocab_file.exists() else shipped_file("vocabulary.yaml"))
            thread = None
            if target.name == LEXICON_FILE:
                errors = lexicon_problems(target, vocabulary.event_type_names)
            elif target.name != "vocabulary.yaml":
                thread = load_thread(target, vocabulary)
        except InputError as exc:
            errors = [exc]
        except InputErrors as exc:
            errors = list(exc.errors)
        if args.json:
            emit_json({"file": str(target), "ok": not errors, "problems": [Problem.of(e).model_dump() for e in errors]})
            return EXIT_BAD_INPUT if errors else 0
        if errors:
            raise InputErrors(errors)
        if thread is None:
            print(f"{target}: ok")
            return 0
        print(f"{target}: ok: {thread.explain}")
        for note in thread.notes:
            print(f"  note: {note}")
        return 0
    if target is not None and not is_workspace(target):
        raise InputError(str(target), "not a negotrack workspace: it has no states/ folder")
    ws = Workspace(target) if target is not None else _workspace(args)
    report: ValidationReport = validate_workspace(ws)
    if args.json:
        emit_json({**report.model_dump(mode="json"), "ok": report.ok})
        return 0 if report.ok else EXIT_BAD_INPUT
    if not report.ok:
        raise InputErrors([InputError(p.file, p.message, p.line) for p in report.problems])
    print(f"{ws.root}: {report.threads} thread(s), {report.event_types} event types, {report.events} event(s): ok")
    threads = ws.threads
    for tid in sorted(threads):
        print(f"  {tid}: {threads[tid].explain}")
        for note in threads[tid].notes:
            print(f"    note: {note}")
    if not threads:
        print(EMPTY_HINT)
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    import importlib.util

    from negotrack.machines import graph
    from negotrack.report import statuses

    if args.format == "dot" and importlib.util.find_spec("graphviz") is None:
        raise InputError(args.thread, "the dot format needs the `graphviz` Python package (pip install 'negotrack[dot]' or pip install graphviz)")
    ws = _workspace(args)
    thread = ws.thread(args.thread)
    current = next(s["state"] for s in statuses(ws) if s["thread"] == thread.id)
    drawn = graph(thread, current, args.format)
    if args.json:
        emit_json({"thread": thread.id, "format": args.format, "initial": thread.initial, "current": current, "graph": drawn})
    else:
        print(drawn)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from negotrack.workspace import init_workspace

    target = init_workspace(Path(args.dir), example=args.example)
    if args.json:
        emit_json({"workspace": str(target.resolve())})
    elif args.example:
        print(f"new workspace in {target}: states/ (vocabulary, lexicon, the two shipped Gaza threads), events/, articles/")
    else:
        print(f"new workspace in {target.resolve()}: states/ (vocabulary, lexicon, no threads yet), events/, articles/")
        print(f"add a thread: see {target / 'README.md'}")
    return 0


def cmd_add_event(args: argparse.Namespace) -> int:
    from negotrack.record import add_manual_event

    ws = _workspace(args, write=True)
    event, path = add_manual_event(
        ws,
        thread_id=args.thread,
        event_type=args.type,
        article=Path(args.article),
        quote=args.quote,
        date=args.date,
        precision=args.precision,
        expected=args.expected,
        published=args.published,
        actor=args.actor,
        attribution=args.attribution,
        note=args.note,
    )
    if args.json:
        emit_json({**event.model_dump(mode="json"), "workspace": str(ws.root), "log": ws.display(path)})
    else:
        print(f"recorded {event.id}: {event.thread} {event.type} {event.date} in {ws.display(path)} (workspace {ws.root})")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from negotrack.record import extract_files

    ws = _workspace(args)
    results, failures = extract_files(ws, [Path(p) for p in args.files], args.published)
    maybe = _suggestions(ws, results) if args.suggest else {}
    if args.json:
        out = []
        for ex in results:
            for e in ex.events:
                out.append(
                    {
                        "file": ex.article.path,
                        "thread": e.thread,
                        "type": e.type,
                        "date": e.date.isoformat(),
                        "date_precision": e.date_precision,
                        "expected": e.expected.isoformat() if e.expected else None,
                        "evidence": e.evidence.quote,
                        "span": [e.evidence.start, e.evidence.end],
                        "cue": e.cue,
                        "stage": e.stage,
                        "confidence": e.confidence,
                        "actor": e.actor,
                        "attribution": e.attribution,
                        "disputed_by": e.disputed_by,
                        "id": e.id,
                    }
                )
            if args.discarded:
                for d in ex.discarded:
                    out.append({"file": d.path, "discarded": True, **d.model_dump(mode="json")})
            for m in maybe.get(ex.article.path, ()):
                out.append({"file": m.path, "suggested": True, **m.model_dump(mode="json"), "add_event": _add_event_args(ws, m)})
        emit_json(out)
    else:
        for ex in results:
            print(f"{ex.article.path} (published {ex.article.published}): {len(ex.events)} event(s)")
            for e in ex.events:
                exp = f" expected {e.expected}" if e.expected else ""
                who = f" [{e.attribution}]" if e.attribution else ""
                print(f"  {e.date} {e.thread} {e.type}{exp}{who}  cue={e.cue!r} confidence={e.confidence}")
                print(f"    “{short(e.evidence.quote, 160)}”")
            if args.discarded:
                for d in ex.discarded:
                    sides = f" [claimed by {d.attribution or '?'}, denied by {d.disputed_by}]" if d.disputed_by else ""
                    print(f"  discarded {d.thread or '-'} {d.type} ({d.reason}){sides}: “{short(d.quote, 100)}”")
            for m in maybe.get(ex.article.path, ()):
                print(f"  maybe {m.date or '-'} {m.thread} {m.type} ({m.why}): “{short(m.quote, 120)}”")
        if any(maybe.values()):
            print("record one you accept with: negotrack add-event THREAD TYPE --article FILE --quote \"EXACT WORDS\" [--date DATE]"
                  " (--json gives each suggestion's arguments)")
    return finish(failures)


def _suggestions(ws: Workspace, results: list[Extraction]) -> dict[str, list[Suggestion]]:
    """Per article, what extraction may have missed (`negotrack/extract/suggest.py`)."""
    from negotrack.extract.suggest import suggestions
    from negotrack.lexicon import load_lexicon

    vocabulary, threads = ws.definitions
    lexicon = load_lexicon(ws.lexicon_path())
    return {ex.article.path: suggestions(ex.article, ex, vocabulary, threads, lexicon) for ex in results}


def _add_event_args(ws: Workspace, m: Suggestion) -> list[str]:
    """The `negotrack add-event` arguments that record a suggestion as it stands, from any folder
    (an article's path is kept relative to its workspace: add-event is given the file itself)."""
    here = ws.root / m.path
    article = str(here.resolve()) if here.exists() else m.path
    args = [m.thread, m.type, "--article", article, "--quote", m.quote]
    return args + (["--date", m.date.isoformat()] if m.date else [])


def cmd_ingest(args: argparse.Namespace) -> int:
    from negotrack.record import ingest

    ws = _workspace(args, write=True)
    summary, failures = ingest(ws, [Path(p) for p in args.paths], args.published, progress=not args.json)
    if args.json:
        emit_json({**summary, "errors": [f.message for f in failures]})
    else:
        print(
            f"workspace {ws.root}: {summary['articles']} article(s): {summary['new']} new, {summary['replaced']} changed and replaced, "
            f"{summary['unchanged']} unchanged; {summary['events']} event(s) recorded"
        )
        for path in summary["replaced_files"]:
            print(f"  changed since last ingest, events replaced: {path}")
    return finish(failures)


def _analyst(given: Path, corpus: Path, corpora: int) -> Gold:
    """A second analyst's gold for `corpus`: the file itself, or DIR/<corpus name>/gold.yaml."""
    from negotrack.evaluate import load_gold

    if given.is_dir():
        path = given / corpus.name / "gold.yaml"
    elif corpora == 1:
        path = given
    else:
        raise InputError(str(given), "with several corpora, --analyst takes a folder holding CORPUS_NAME/gold.yaml for each")
    if not path.exists():
        raise InputError(str(path), f"no second annotation for corpus {corpus.name}")
    return load_gold(path)


def cmd_eval(args: argparse.Namespace) -> int:
    from negotrack.evaluate import combine, evaluate_corpus, reliability, render_reliability, render_report
    from negotrack.lexicon import load_lexicon

    ws = _workspace(args)
    corpora = [Path(c) for c in args.corpus]
    for corpus in corpora:
        if not (corpus / "gold.yaml").exists():
            raise InputError(str(corpus), "no gold.yaml in this folder")
    vocabulary, threads = ws.definitions
    lexicon = load_lexicon(ws.lexicon_path())
    proposers = () if args.rules_only else None
    analysts = [_analyst(args.analyst, c, len(corpora)) for c in corpora] if args.analyst else [None] * len(corpora)
    reports = [evaluate_corpus(c, vocabulary, threads, lexicon, proposers, a) for c, a in zip(corpora, analysts)]
    together = combine(reports) if len(reports) > 1 else None
    table = reliability(reports) if args.calibration else None
    if args.json:
        if together is None:
            out = reports[0].model_dump(mode="json")
        else:
            out = {"figures": together.figures.model_dump(mode="json"), "corpora": [r.model_dump(mode="json") for r in reports]}
        if table is not None:
            out["calibration"] = [b.model_dump(mode="json") for b in table]
        emit_json(out)
        return 0
    for report in reports:
        print(render_report(report, verbose=not args.brief))
    if together is not None:
        f = together.figures
        print(
            f"\nall {len(reports)} together (micro): P {f.precision:.3f}  R {f.recall:.3f}  F1 {f.f1:.3f}  "
            f"(TP {f.tp}, FP {f.fp}, FN {f.fn}, {f.thread_errors} of the FP on the wrong thread); "
            f"phases {f.checkpoints_ok}/{f.checkpoints} ({f.phase_accuracy:.3f}), "
            f"plain replay {f.checkpoints_ok_plain}/{f.checkpoints} ({f.phase_accuracy_plain:.3f}); "
            f"the gold's own events {f.checkpoints_ok_from_gold}/{f.checkpoints}"
        )
    if table is not None:
        print("\nreliability of confidences (events scored right or wrong; optional matches left out):")
        print(render_reliability(table))
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    from negotrack.changes import changes, render

    ws = _workspace(args)
    until = args.until or dt.date.today()
    if until < args.since:
        raise InputError("--until", f"{until} is before --since {args.since}")
    found = changes(ws, args.since, until)
    if args.json:
        emit_json([c.model_dump(mode="json") for c in found])
    else:
        print(render(found, args.since, until))
    return 0


def write_output(data: bytes, output: Optional[str]) -> None:
    """To a file (written whole, atomically) or to standard output."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from negotrack.eventlog import atomic_write

    path = Path(output)
    if path.is_dir():
        raise InputError(output, "is a folder; give a file name")
    try:
        atomic_write(path, data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(path, 0o666 & ~umask)  # an export is for others to read, unlike the log's temp files
    except OSError as exc:
        raise InputError(output, f"cannot write: {exc.strerror}") from None
    print(f"wrote {path} ({len(data):,} bytes)", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    from negotrack.desk import audits
    from negotrack.export import records, to_csv, to_jsonl

    ws = _workspace(args)
    rows = records(audits(ws, args.threads or None, args.as_of, args.known_at), ws.vocabulary)
    write_output(to_jsonl(rows) if args.format == "plover" else to_csv(rows), args.output)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from negotrack.trace import run

    ws = _workspace(args)
    trace, diff = run(Path(args.trace), ws)
    if not diff:
        print(f"{args.trace}: {trace.thread}: replay matches the {len(trace.expect)} expected happening(s)")
        return 0
    print(f"{args.trace}: {trace.thread}: replay differs from the trace")
    print("\n".join(diff))
    return 1


def cmd_timeline(args: argparse.Namespace) -> int:
    from negotrack.desk import audits
    from negotrack.timeline import render_page

    ws = _workspace(args)
    page = render_page(audits(ws, args.threads or None, args.as_of, args.known_at), args.as_of, args.known_at)
    write_output(page.encode("utf-8"), args.output)
    return 0


# --- the parser ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", "-w", default=argparse.SUPPRESS, help="workspace folder (default: $NEGOTRACK_WORKSPACE, else the current folder; reading commands fall back to the shipped, read-only one)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    clocks = argparse.ArgumentParser(add_help=False)
    clocks.add_argument("--as-of", type=parse_date, metavar="DATE", help="only events that happened by DATE")
    clocks.add_argument("--known-at", type=parse_date, metavar="DATE", help="only events from articles published by DATE")

    parser = argparse.ArgumentParser(prog="negotrack", description="Track diplomatic negotiations from the news, with evidence.", parents=[common])
    from negotrack import __version__

    parser.add_argument("--version", action="version", version=f"negotrack {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help: str, parents=(common,)) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, parents=list(parents))
        p.set_defaults(func=func)
        return p

    p = add("status", cmd_status, "where each talk stands, with the quote that put it there", (common, clocks))
    p.add_argument("--no-cache", action="store_true", help="replay from the log, ignoring the snapshot")
    p = add("replay", cmd_replay, "the audit trail of one thread: every event, from → to, rejected, held, doubted or dismissed", (common, clocks))
    p.add_argument("thread")
    p.add_argument("--plain", action="store_true", help="apply every event the machine takes: no support rules, no best history, no reviews")
    p = add("review", cmd_review, "the events that need a person's look: held, doubted or low confidence, most decisive first")
    p.add_argument("thread", nargs="?")
    p = add("confirm", cmd_confirm, "confirm an event: it is applied whatever its confidence")
    p.add_argument("event_id", metavar="EVENT_ID")
    p.add_argument("--note", help="why, for the trail")
    p.add_argument("--by", help="who reviews (default: $NEGOTRACK_REVIEWER or the login name)")
    p = add("dismiss", cmd_dismiss, "dismiss an event: it is never applied")
    p.add_argument("event_id", metavar="EVENT_ID")
    p.add_argument("--reason", required=True, help="why it is wrong")
    p.add_argument("--note", help=argparse.SUPPRESS)
    p.add_argument("--by", help="who reviews (default: $NEGOTRACK_REVIEWER or the login name)")
    p = add("validate", cmd_validate, "check definitions and the event log (every problem, with file:line)")
    p.add_argument("path", nargs="?", help="a workspace folder or one definition file")
    p = add("graph", cmd_graph, "draw a thread's machine (transitions' own diagrams), current state marked")
    p.add_argument("thread")
    p.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    p = add("init", cmd_init, "create a new workspace: the standard vocabulary and lexicon, a README on adding threads, no threads")
    p.add_argument("dir")
    p.add_argument("--example", action="store_true", help="also copy the shipped Gaza threads")
    p = add("add-event", cmd_add_event, "record one event by hand, with its article and exact quote")
    p.add_argument("thread")
    p.add_argument("type")
    p.add_argument("--article", required=True, help="the article file the quote is in")
    p.add_argument("--quote", required=True, help="the exact words in the article")
    p.add_argument("--date", type=parse_date, help="when it happened (default: the article's date)")
    p.add_argument("--precision", choices=["day", "week", "month"], default="day")
    p.add_argument("--expected", type=parse_date, help="planned date (talks_scheduled)")
    p.add_argument("--published", type=parse_date, help="the article's publication date, if the file has none")
    p.add_argument("--actor")
    p.add_argument("--attribution", help="who says so")
    p.add_argument("--note")
    p = add("extract", cmd_extract, "print the events drawn from articles; writes nothing")
    p.add_argument("files", nargs="+")
    p.add_argument("--published", type=parse_date, help="publication date for articles that have none")
    p.add_argument("--discarded", action="store_true", help="also show cues set aside (negated, conditional, ...) and why")
    p.add_argument("--suggest", action="store_true",
                   help="also show what extraction may have missed: learned readings below the threshold (down to "
                        "settings.suggest_threshold) and cues a check set aside, for an analyst to record with add-event")
    p = add("ingest", cmd_ingest, "draw events from articles and record them in the workspace")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("--published", type=parse_date, help="publication date for articles that have none")
    p = add("eval", cmd_eval, "score extraction and phases against each folder's gold.yaml")
    p.add_argument("corpus", metavar="CORPUS_DIR", nargs="+")
    p.add_argument("--brief", action="store_true", help="figures only, without every miss and extra")
    p.add_argument("--calibration", action="store_true", help="also the reliability table: how often events of each confidence are right")
    p.add_argument("--rules-only", action="store_true", help="without the learned typer (to compare)")
    p.add_argument("--analyst", type=Path, metavar="FILE|DIR",
                   help="score a second analyst's annotation instead of extraction: a gold file (one corpus), "
                        "or a folder with CORPUS_NAME/gold.yaml for each corpus")
    p = add("changes", cmd_changes, "threads whose phase changed between what was known at two dates, with the events that moved them")
    p.add_argument("--since", type=parse_date, required=True, metavar="DATE", help="what was known on DATE")
    p.add_argument("--until", type=parse_date, metavar="DATE", help="against what was known on DATE (default: today)")
    p = add("timeline", cmd_timeline, "write one self-contained HTML page: a lane per thread, phases and events", (common, clocks))
    p.add_argument("threads", nargs="*", metavar="THREAD", help="only these threads (default: all)")
    p.add_argument("--output", "-o", required=True, metavar="FILE.html")
    p = add("export", cmd_export, "every event as PLOVER-style JSON lines or CSV", (common, clocks))
    p.add_argument("threads", nargs="*", metavar="THREAD", help="only these threads (default: all)")
    p.add_argument("--format", choices=["plover", "csv"], required=True)
    p.add_argument("--output", "-o", metavar="FILE", help="write here (default: standard output)")
    p = add("check", cmd_check, "check a golden trace (expected happenings) against replay: exit 0 match, 1 differs, 2 bad trace")
    p.add_argument("trace", metavar="TRACE.yaml")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.json = getattr(args, "json", False)
    try:
        return args.func(args)
    except InputErrors as exc:
        for err in exc.errors:
            print(f"error: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a read-only or full disk, a permission, a folder where a file was meant
        from negotrack.fsio import describe

        print(f"error: {describe(exc).message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RecursionError:
        print("error: input nested too deeply to read", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
