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
from typing import Any, Callable, Optional, Sequence

from negotrack.errors import InputError, InputErrors

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


def _workspace(args: argparse.Namespace):
    from negotrack.workspace import resolve

    return resolve(getattr(args, "workspace", None))


# --- commands ------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    from negotrack import snapshot

    from negotrack.overdue import clock

    ws = _workspace(args)
    key = snapshot.fingerprint(ws.root, args.as_of, args.known_at, clock(args.as_of))
    result = None if args.no_cache else snapshot.load(ws.root, key)
    if result is None:  # only now pay for pydantic, transitions and the replay
        from negotrack.report import statuses

        result = statuses(ws, args.as_of, args.known_at, use_snapshot=not args.no_cache)
    if args.json:
        emit_json(result)
        return 0
    if not result:
        print(EMPTY_HINT)
        return 0
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
                expected_cell(s) if tracked else f"tracked from {s['starting']['since']}",
            ]
        )
    print(table(["thread", "state", "phase", "since", "last event", "events", "rejected", "expected"], rows))
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
    return 0


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
    result, steps = audit(ws, args.thread, args.as_of, args.known_at)
    start = start_row(result, args.as_of, ws.display(Path(result.thread.path)))
    if args.json:
        emit_json([start.model_dump(mode="json")] + [s.model_dump(mode="json") for s in steps])
        return 0
    thread = result.thread
    print(f"{thread.id} — {thread.title}")
    if not start.tracked:
        print(f"not yet tracked on {args.as_of}: the thread file starts it in {start.state} on {start.since}")
    print()
    given = f"given by {start.given_by}" + (f": {start.note}" if start.note else "")
    rows = [[str(start.since or "-"), "(start)", f"starts in {start.state} ({start.phase})", start.source or "-", given]]
    for s in steps:
        if s.outcome == "rejected":
            move = f"REJECTED ({s.reason})"
        elif s.outcome == "unchanged":
            move = f"{s.from_state} (unchanged)"
        else:
            move = f"{s.from_state} → {s.to_state}"
        src = s.sources[0]
        more = f" +{len(s.sources) - 1}" if len(s.sources) > 1 else ""
        rows.append([s.date.isoformat(), s.type, move, f"{src.path}{more}", "“" + short(src.quote, 70) + "”"])
    print(table(["date", "event", "from → to", "source", "quote"], rows))
    print(f"\nnow: {result.state} ({result.phase}); {len(steps)} happening(s), {result.rejected} rejected")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from negotrack.definitions import load_definitions
    from negotrack.eventlog import read_events
    from negotrack.report import article_problems
    from negotrack.workspace import Workspace, shipped_file

    problems: list[InputError] = []
    target = Path(args.path) if args.path else None
    if target is not None and not target.exists():
        raise InputError(str(target), "no such file or folder")
    if target is not None and target.is_file():
        from negotrack.definitions import load_thread, load_vocabulary

        vocab_file = target.parent / "vocabulary.yaml"
        vocabulary = load_vocabulary(vocab_file if vocab_file.exists() else shipped_file("vocabulary.yaml"))
        if target.name == "vocabulary.yaml":
            print(f"{target}: ok")
            return 0
        thread = load_thread(target, vocabulary)
        print(f"{target}: ok: {thread.explain}")
        for note in thread.notes:
            print(f"  note: {note}")
        return 0
    ws = Workspace(target) if target is not None else _workspace(args)
    states_dir = ws.states_dir
    vocabulary, threads = load_definitions(states_dir, fallback_vocabulary=shipped_file("vocabulary.yaml"))
    known = ws.known_types()
    count = 0
    for path in ws.log_files():
        shown = ws.display(path)
        try:
            events = read_events(path, shown)
        except InputError as exc:
            problems.append(exc)
            continue
        for line_no, event in enumerate(events, 1):
            count += 1
            if event.thread not in known:
                problems.append(InputError(shown, f"unknown thread {event.thread!r}", line_no))
                continue
            if event.type not in known[event.thread]:
                problems.append(InputError(shown, f"unknown event type {event.type!r} for {event.thread}", line_no))
            if event.id != event.content_id():
                problems.append(InputError(shown, f"id {event.id!r} does not match the event's content ({event.content_id()})", line_no))
            problems.extend(article_problems(ws, event, shown, line_no))
    if problems:
        raise InputErrors(problems)
    print(f"{ws.root}: {len(threads)} thread(s), {len(vocabulary.event_types)} event types, {count} event(s): ok")
    for tid in sorted(threads):
        print(f"  {tid}: {threads[tid].explain}")
        for note in threads[tid].notes:
            print(f"    note: {note}")
    if not threads:
        print(EMPTY_HINT)
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    from negotrack.machines import graph
    from negotrack.report import statuses

    ws = _workspace(args)
    thread = ws.thread(args.thread)
    current = next(s["state"] for s in statuses(ws) if s["thread"] == thread.id)
    try:
        print(graph(thread, current, args.format))
    except ImportError:
        raise InputError(args.thread, "the dot format needs the `graphviz` Python package (pip install graphviz)") from None
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from negotrack.workspace import init_workspace

    target = init_workspace(Path(args.dir), example=args.example)
    if args.json:
        emit_json({"workspace": str(target.resolve())})
    elif args.example:
        print(f"new workspace in {target}: states/ (vocabulary, lexicon, the two shipped Gaza threads), events/, articles/")
    else:
        print(f"new workspace in {target}: states/ (vocabulary, lexicon, no threads yet), events/, articles/")
        print(f"add a thread: see {target / 'README.md'}")
    return 0


def cmd_add_event(args: argparse.Namespace) -> int:
    from negotrack.record import add_manual_event

    ws = _workspace(args)
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
        emit_json(event.model_dump(mode="json"))
    else:
        print(f"recorded {event.id}: {event.thread} {event.type} {event.date} in {ws.display(path)}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from negotrack.record import extract_files

    ws = _workspace(args)
    results, failures = extract_files(ws, [Path(p) for p in args.files], args.published)
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
        emit_json(out)
    else:
        for ex in results:
            print(f"{ex.article.path} (published {ex.article.published}): {len(ex.events)} event(s)")
            for e in ex.events:
                exp = f" expected {e.expected}" if e.expected else ""
                who = f" [{e.attribution}]" if e.attribution else ""
                print(f"  {e.date} {e.thread} {e.type}{exp}{who}  cue={e.cue!r}")
                print(f"    “{short(e.evidence.quote, 160)}”")
            if args.discarded:
                for d in ex.discarded:
                    sides = f" [claimed by {d.attribution or '?'}, denied by {d.disputed_by}]" if d.disputed_by else ""
                    print(f"  discarded {d.thread or '-'} {d.type} ({d.reason}){sides}: “{short(d.quote, 100)}”")
    return finish(failures)


def cmd_ingest(args: argparse.Namespace) -> int:
    from negotrack.record import ingest

    ws = _workspace(args)
    summary, failures = ingest(ws, [Path(p) for p in args.paths], args.published, progress=not args.json)
    if args.json:
        emit_json({**summary, "errors": [f.message for f in failures]})
    else:
        print(
            f"{summary['articles']} article(s): {summary['new']} new, {summary['replaced']} changed and replaced, "
            f"{summary['unchanged']} unchanged; {summary['events']} event(s) recorded"
        )
        for path in summary["replaced_files"]:
            print(f"  changed since last ingest, events replaced: {path}")
    return finish(failures)


def cmd_eval(args: argparse.Namespace) -> int:
    from negotrack.evaluate import combine, evaluate_corpus, render_report
    from negotrack.lexicon import load_lexicon

    ws = _workspace(args)
    corpora = [Path(c) for c in args.corpus]
    for corpus in corpora:
        if not (corpus / "gold.yaml").exists():
            raise InputError(str(corpus), "no gold.yaml in this folder")
    vocabulary, threads = ws.definitions
    lexicon = load_lexicon(ws.lexicon_path())
    reports = [evaluate_corpus(c, vocabulary, threads, lexicon) for c in corpora]
    together = combine(reports) if len(reports) > 1 else None
    if args.json:
        if together is None:
            emit_json(reports[0].model_dump(mode="json"))
        else:
            emit_json({"figures": together.figures.model_dump(mode="json"), "corpora": [r.model_dump(mode="json") for r in reports]})
        return 0
    for report in reports:
        print(render_report(report, verbose=not args.brief))
    if together is not None:
        f = together.figures
        print(
            f"\nall {len(reports)} together (micro): P {f.precision:.3f}  R {f.recall:.3f}  F1 {f.f1:.3f}  "
            f"(TP {f.tp}, FP {f.fp}, FN {f.fn}); phases {f.checkpoints_ok}/{f.checkpoints} ({f.phase_accuracy:.3f})"
        )
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
    common.add_argument("--workspace", "-w", default=argparse.SUPPRESS, help="workspace folder (default: $NEGOTRACK_WORKSPACE, the current folder, or the shipped one)")
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
    p = add("replay", cmd_replay, "the audit trail of one thread: every event, from → to or rejected", (common, clocks))
    p.add_argument("thread")
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
    p = add("ingest", cmd_ingest, "draw events from articles and record them in the workspace")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("--published", type=parse_date, help="publication date for articles that have none")
    p = add("eval", cmd_eval, "score extraction and phases against each folder's gold.yaml")
    p.add_argument("corpus", metavar="CORPUS_DIR", nargs="+")
    p.add_argument("--brief", action="store_true", help="figures only, without every miss and extra")
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
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
