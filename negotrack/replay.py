"""Replay: a thread's events, in (date, reported, id) order, through its `transitions` machine.

Every happening gets a row: moved, unchanged, rejected (with the machine's reason), held (a
decisive move without support), doubted (set aside so that later, better-supported happenings
are taken) or dismissed (by an analyst). The same happening told by several articles (same
thread, type, date and expected date) is replayed once and keeps all its sources. The order
depends only on the events, never on the order of files on disk. `plain=True` is the replay
before support and reviews existed: every event applied if the machine takes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Sequence

from negotrack.eventlog import DATE, EXPECTED, ID, REPORTED, TYPE, LogEntry
from negotrack.machines import machine_for
from negotrack.model import Event, Review, SupportRules, ThreadDef, Vocabulary
from negotrack.support import ACTION_OUTCOME, APPLY, DOUBT, HELD, REJECT, Info, Rules, best_path, blocked_by, held_reason, info_for


@dataclass(slots=True)
class Row:
    """One happening and what the machine did with it."""

    entries: list[LogEntry]  # every report of the happening, the earliest first
    outcome: str
    from_state: str
    to_state: str
    reason: str = ""
    confidence: Optional[float] = None
    review: Optional[Review] = None
    blocked: list[list[LogEntry]] = field(default_factory=list)  # doubted: the happenings it would block

    @property
    def entry(self) -> LogEntry:
        return LogEntry._make(self.entries[0])


@dataclass
class ReplayResult:
    thread: ThreadDef
    initial: str
    state: str
    rows: list[Row] = field(default_factory=list)  # every happening (when asked for: the audit)
    since: Optional[str] = None  # date the thread entered `state`
    moved_by: Optional[Row] = None  # the row that put it there
    last: Optional[Row] = None  # the latest happening
    events: int = 0  # reports replayed (a happening told twice counts two)
    rejected: int = 0  # happenings the machine refused
    held: int = 0  # decisive moves without support, not applied
    doubted: int = 0  # set aside for later, better-supported happenings
    to_review: int = 0  # held, doubted or low-confidence happenings no one has reviewed
    plain: bool = False

    @property
    def phase(self) -> str:
        return self.thread.phase_of(self.state)


def as_entry(event: Event, ref: int = 0) -> LogEntry:
    """An Event in replay's form; `ref` (its index in the caller's list) stands in for the line."""
    return LogEntry(
        event.date.isoformat(),
        event.reported.isoformat(),
        event.id or event.content_id(),
        event.thread,
        event.type,
        event.expected.isoformat() if event.expected else None,
        event.source.path,  # stands in for the log file: one per article
        ref,
        event.confidence,
        bool(event.attribution or event.actor),
        event.origin,
    )


def rules_for(vocabulary: Optional[Vocabulary], thread: ThreadDef) -> SupportRules:
    """The support rules of a thread: the vocabulary's, with the thread's own overrides."""
    base = vocabulary.support if vocabulary is not None else SupportRules()
    return base.merged(thread.support)


def happenings(entries: Iterable[LogEntry], as_of: Optional[str] = None, known_at: Optional[str] = None) -> list[list[LogEntry]]:
    """Filter by the two clocks, merge reports of one happening, and order them.

    Entries sort as tuples, (date, reported, id) first; a happening's group is then created by
    its earliest report, so the groups come out in replay order with no second sort.
    """
    if as_of is not None or known_at is not None:
        entries = [e for e in entries if (as_of is None or e[DATE] <= as_of) and (known_at is None or e[REPORTED] <= known_at)]
    groups: dict[tuple, list[LogEntry]] = {}
    for e in sorted(entries):
        key = (e[TYPE], e[DATE], e[EXPECTED])  # one happening
        group = groups.get(key)
        if group is None:
            groups[key] = [e]
        elif e[ID] != group[-1][ID]:  # the same event recorded twice (ids are content-derived) counts once
            group.append(e)
    return list(groups.values())


def replay(
    thread: ThreadDef,
    entries: Iterable[LogEntry] | Sequence[Event],
    *,
    initial_state: Optional[str] = None,
    as_of: Optional[dt.date] = None,
    known_at: Optional[dt.date] = None,
    keep_rows: bool = True,
    rules: Optional[SupportRules] = None,
    reviews: Optional[Mapping[str, Review]] = None,
    plain: bool = False,
) -> ReplayResult:
    """Replay one thread. `initial_state` overrides the definition's (evaluation starts threads
    in the phase the gold file gives). Without `keep_rows` only what a status needs is kept
    (the state, the move that made it, the latest happening and the counts). `rules` default
    to the standard ones with the thread's overrides; `reviews` map event ids to their latest
    review; `plain` applies every event the machine takes, ignoring both."""
    items = list(entries)
    if items and isinstance(items[0], Event):
        items = [as_entry(e, i) for i, e in enumerate(items)]  # type: ignore[arg-type]
    machine = machine_for(thread)
    state = initial_state or thread.initial
    result = ReplayResult(thread=thread, initial=state, state=state, plain=plain)
    groups = happenings(
        items,  # type: ignore[arg-type]
        as_of.isoformat() if as_of else None,
        known_at.isoformat() if known_at else None,
    )
    if not plain:
        return _machine_aware(result, machine, groups, rules or rules_for(None, thread), reviews or {}, keep_rows)
    rows = result.rows
    decide = machine.decide
    events = rejected = 0
    group: list = []
    verdict = None
    before = state
    for group in groups:
        verdict = decide(state, group[0][TYPE])
        events += len(group)
        before = state
        if verdict.outcome == "moved":
            state = verdict.dest
            result.since = group[0][DATE]
            result.moved_by = Row(group, verdict.outcome, before, state, verdict.reason)
            if keep_rows:
                rows.append(result.moved_by)
        else:
            if verdict.outcome == "rejected":
                rejected += 1
            if keep_rows:
                rows.append(Row(group, verdict.outcome, before, verdict.dest, verdict.reason))
    if verdict is not None:
        result.last = rows[-1] if keep_rows else (
            result.moved_by if result.moved_by is not None and result.moved_by.entries is group
            else Row(group, verdict.outcome, before, verdict.dest, verdict.reason)
        )
    result.state = state
    result.events = events
    result.rejected = rejected
    return result


def _machine_aware(
    result: ReplayResult, machine, groups: list[list[LogEntry]], support: SupportRules, reviews: Mapping[str, Review], keep_rows: bool
) -> ReplayResult:
    """Support-aware replay along the best history (support.py); fills `result`."""
    rules = Rules.shared(machine, support)
    infos = [info_for(g, support, reviews) for g in groups]
    actions = best_path(rules, result.state, infos)
    state = result.state
    states: list[str] = []  # the state before each happening, along the chosen history
    rows = result.rows
    counts = [0, 0, 0, 0, 0]  # per action
    to_review = events = 0
    last: Optional[Row] = None
    cache = rules._cache
    verdict = rules.verdict
    min_confidence = support.min_confidence
    final = groups[-1] if groups else None
    for group, info, action in zip(groups, infos, actions):
        before = state
        states.append(before)
        events += len(group)
        review = info.review
        counts[action] += 1
        if action == APPLY:
            state = (cache.get((before, info.type)) or verdict(before, info.type))[1]
            if review is None and not info.manual and (info.confidence is None or info.confidence < min_confidence):
                to_review += 1
            if not keep_rows and state == before and group is not final:
                continue
            outcome = "moved" if state != before else "unchanged"
            reason = f"confirmed by {review.by}" if review is not None and review.verdict == "confirm" else ""
        else:
            if review is None and (action == HELD or action == DOUBT or (action == REJECT and info.low_confidence(support))):
                to_review += 1  # a dismissed one has its review
            if not keep_rows and group is not final:
                continue
            outcome = ACTION_OUTCOME[action]
            reason = _reason(rules, action, before, info, machine)
        row = Row(group, outcome, before, state, reason, info.confidence, review)
        if keep_rows:
            rows.append(row)
        if outcome == "moved":
            result.since = group[0][DATE]
            result.moved_by = row
        last = row
    if keep_rows:
        for i, action in enumerate(actions):
            if action == DOUBT:
                rows[i].blocked = [groups[j] for j in blocked_by(rules, i, states, actions, infos)]
                if rows[i].blocked:
                    rows[i].reason += f"; it would have blocked {len(rows[i].blocked)} later event(s)"
    result.last = last
    result.state = state
    result.events = events
    result.rejected = counts[REJECT]
    result.held = counts[HELD]
    result.doubted = counts[DOUBT]
    result.to_review = to_review
    return result


def _reason(rules: Rules, action: int, state: str, info: Info, machine) -> str:
    if action == REJECT:
        return machine.decide(state, info.type).reason
    _, dest, _ = rules.verdict(state, info.type)
    if action == HELD:
        return held_reason(info, rules.rules, rules.phase[dest])
    if action == DOUBT:
        return f"taking it ({state} → {dest}) would force later, better-supported events to be rejected"
    review = info.review
    assert review is not None
    return f"dismissed by {review.by} on {review.at.date().isoformat()}: {review.reason or review.note or 'no reason given'}"


def initial_state_for_phase(thread: ThreadDef, phase: str) -> str:
    """The first state of a phase: where evaluation starts a thread the gold says is in it."""
    states = thread.states_in_phase(phase)
    if not states:
        raise ValueError(f"thread {thread.id} has no state in phase {phase!r}")
    return thread.initial if thread.phase_of(thread.initial) == phase else states[0]
