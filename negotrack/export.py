"""Exports for other tools: PLOVER-style JSON lines, and CSV with the same fields flattened.

One record per recorded event (each report of a happening), in replay order, with negotrack's
own `type`, `thread`, `confidence`, `outcome` and `phase_after` beside PLOVER's fields. The
mapping of our types to PLOVER is data, in `states/vocabulary.yaml` (see negotrack/plover.py).
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterator

import orjson

from negotrack import __version__
from negotrack.desk import Audit
from negotrack.model import Event, Vocabulary

CSV_FIELDS = [
    "id", "date", "event", "mode", "context", "actor", "recipient", "event_text", "text_start", "text_end",
    "url", "title", "publication", "path", "link", "type", "thread", "confidence", "outcome", "phase_after",
]


def records(audits: list[Audit], vocabulary: Vocabulary) -> Iterator[dict[str, Any]]:
    """PLOVER records (newline-delimited JSON in the PLOVER manual's field names)."""
    codes = {t.name: t.plover for t in vocabulary.event_types}
    for audit in audits:
        thread = audit.thread
        own = {t.name: t.plover for t in thread.event_types}
        for happening in audit.happenings:
            for event in happening.events:
                code = own.get(event.type) or codes.get(event.type)
                yield record(event, code, thread.parties, happening.step.outcome, happening.step.to_phase)


def record(event: Event, code, parties: tuple[str, ...], outcome: str, phase_after: str) -> dict[str, Any]:
    actor = [{"entity_text": event.actor}] if event.actor else [{"entity_text": p} for p in parties]
    recipient = [{"entity_text": p} for p in parties if event.actor and p not in event.actor]
    return {
        "id": event.id,
        "date": event.date.isoformat(),
        "event": [code.event] if code else [],
        "mode": [code.mode] if code and code.mode else [],
        "context": [code.context] if code and code.context else [],
        "actor": actor,
        "recipient": recipient,
        "event_text": [event.evidence.quote],
        "text_info": {"start": event.evidence.start, "end": event.evidence.end},
        "cite_info": {
            "url": event.source.url,
            "title": event.source.title,
            "publication": event.source.outlet,
            "citation": event.source.path,
            "coder": f"negotrack {__version__}",
        },
        "link": event.thread,
        # negotrack's own fields
        "type": event.type,
        "thread": event.thread,
        "confidence": event.confidence,
        "outcome": outcome,
        "phase_after": phase_after,
    }


def to_jsonl(rows: Iterator[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


def to_csv(rows: Iterator[dict[str, Any]]) -> bytes:
    """The same fields flattened: lists joined with '; ', actors by their text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(
            {
                "id": r["id"], "date": r["date"], "event": "; ".join(r["event"]), "mode": "; ".join(r["mode"]),
                "context": "; ".join(r["context"]),
                "actor": "; ".join(a["entity_text"] for a in r["actor"]),
                "recipient": "; ".join(a["entity_text"] for a in r["recipient"]),
                "event_text": " ".join(r["event_text"]),
                "text_start": r["text_info"]["start"], "text_end": r["text_info"]["end"],
                "url": r["cite_info"]["url"] or "", "title": r["cite_info"]["title"], "publication": r["cite_info"]["publication"],
                "path": r["cite_info"]["citation"], "link": r["link"], "type": r["type"], "thread": r["thread"],
                "confidence": "" if r["confidence"] is None else r["confidence"], "outcome": r["outcome"], "phase_after": r["phase_after"],
            }
        )
    return out.getvalue().encode("utf-8")
