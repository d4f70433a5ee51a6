"""Support for decisive moves, and the search for the most plausible consistent history.

Two rules, both pure functions of the thread's machine, its ordered happenings, the support
rules and the reviews:

* A move into a decisive phase (agreed, in_force, collapsed, ...) is taken only with support:
  a confidence at or above `min_confidence`, `min_sources` distinct articles, or an attributed
  statement. Otherwise the happening is `held`: kept and shown, not applied.
* Of all the histories the machine allows, replay takes the one whose applied events weigh most.
  A happening weighs the log-odds of its confidence (its articles taken together); a supported
  happening the history leaves rejected also costs `reject_penalty`. An unsupported happening
  weighs nothing either way: it can never pull the history towards a state, only follow it.
  A confirmed happening weighs more than any number of others; a dismissed one is left out.
  Setting aside a happening the machine would take, so that later, better-supported ones are
  taken instead, makes it `doubted`.

The search is a Viterbi pass over (happening, machine state): linear in happenings times states.
Equal scores go to the history that applies at the earliest point where two histories differ,
so the plain history wins every tie. When no supported happening is rejected on the greedy
history, that history already takes every weight there is, and the search is skipped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping, Optional, Sequence

from negotrack.eventlog import ATTRIBUTED, CONFIDENCE, FILE, ID, ORIGIN, TYPE
from negotrack.model import Review, SupportRules

APPLY, DOUBT, HELD, REJECT, DISMISS = range(5)
ACTION_OUTCOME = {DOUBT: "doubted", HELD: "held", REJECT: "rejected", DISMISS: "dismissed"}

SCALE = 1000  # weights are integers (log-odds × SCALE), so equal scores are exactly equal
CONFIRMED_WEIGHT = 10**12  # more than any number of unconfirmed happenings can outweigh
_LOW, _HIGH = 0.55, 0.99  # confidences are clamped here before taking log-odds
# Histories that fall more than this behind the best one are dropped from the search: a little
# more than one event at the extractor's highest confidence (0.95 weighs 2.94), so any single
# reading can still be doubted, while a happening corroborated by two articles (0.9 and 0.9 make
# 0.99, weighing 4.6) or recorded by hand is never set aside. It also keeps the frontier shapes
# few, so the memoized search runs near the speed of plain replay on long, noisy logs.
SEARCH_MARGIN = round(3 * SCALE)
MEMO_LIMIT = 200_000  # search steps remembered per machine and rules


@dataclass(slots=True)
class Info:
    """What the rules need to know of one happening."""

    type: str
    confidence: Optional[float]  # its articles together (noisy-or); None when no article gave one
    articles: int  # distinct articles telling it
    attributed: bool
    manual: bool
    review: Optional[Review]  # the latest review of any of its reports
    supported: bool
    weight: int

    @property
    def confirmed(self) -> bool:
        return self.review is not None and self.review.verdict == "confirm"

    @property
    def dismissed(self) -> bool:
        return self.review is not None and self.review.verdict == "dismiss"

    def low_confidence(self, rules: SupportRules) -> bool:
        return not self.manual and (self.confidence is None or self.confidence < rules.min_confidence)


def article_key(log_file: str) -> str:
    """The article a log file records: its extracted and manual files count as one source."""
    for suffix in (".extracted.jsonl", ".manual.jsonl"):
        if log_file.endswith(suffix):
            return log_file[: -len(suffix)]
    return log_file


def info_for(group: Sequence[tuple], rules: SupportRules, reviews: Mapping[str, Review]) -> Info:
    """Combine the reports of one happening: confidence per article (the best report), then
    the articles together as independent witnesses (1 - Π(1 - c))."""
    review: Optional[Review] = None
    if reviews:
        for e in group:
            r = reviews.get(e[ID])
            if r is not None and (review is None or r.at >= review.at):
                review = r
    manual = False
    attributed = False
    if len(group) == 1:
        e = group[0]
        conf = e[CONFIDENCE]
        if review is None and conf is not None and conf >= rules.min_confidence and e[ORIGIN] != "manual":
            return Info(e[TYPE], conf, 1, e[ATTRIBUTED], False, None, True, _weight(conf))  # the usual case
        manual = e[ORIGIN] == "manual"
        attributed = bool(e[ATTRIBUTED])
        articles = 1
    else:
        best: dict[str, float] = {}
        given = False
        for e in group:
            manual = manual or e[ORIGIN] == "manual"
            attributed = attributed or bool(e[ATTRIBUTED])
            c = e[CONFIDENCE]
            given = given or c is not None
            key = article_key(e[FILE])
            best[key] = max(best.get(key, 0.0), c or 0.0)
        articles = len(best)
        conf = None
        if given:
            miss = 1.0
            for c in best.values():
                miss *= 1.0 - c
            conf = round(1.0 - miss, 4)
    confirmed = review is not None and review.verdict == "confirm"
    supported = (
        confirmed
        or manual
        or (conf is not None and conf >= rules.min_confidence)
        or articles >= rules.min_sources
        or (rules.attributed_counts and attributed)
    )
    if confirmed:
        weight = CONFIRMED_WEIGHT
    elif not supported:
        weight = 0
    else:
        weight = _weight(0.99 if manual else (conf or 0.0))
    return Info(group[0][TYPE], conf, articles, attributed, manual, review, supported, weight)


@lru_cache(maxsize=4096)
def _weight(confidence: float) -> int:
    """Log-odds of a clamped confidence, as an integer: equal scores are exactly equal."""
    c = min(_HIGH, max(_LOW, confidence))
    return round(math.log(c / (1.0 - c)) * SCALE)


Decide = Callable[[str, str], "object"]  # machines.ThreadMachine.decide: (state, type) -> Verdict


_SHARED: dict[tuple, "Rules"] = {}


class Rules:
    """The support rules bound to one machine: what each (state, type) does, cached."""

    def __init__(self, decide: Decide, phase: Mapping[str, str], rules: SupportRules) -> None:
        self.decide = decide
        self.phase = phase
        self.rules = rules
        self.decisive = frozenset(rules.decisive)
        self.penalty = round(rules.reject_penalty * SCALE)
        self.margin = SEARCH_MARGIN
        self._cache: dict[tuple[str, str], tuple[bool, str, bool]] = {}
        self.memo: dict[tuple, tuple] = {}

    @classmethod
    def shared(cls, machine, rules: SupportRules) -> "Rules":
        """One per machine shape and rules: threads sharing a machine share the search memo."""
        key = (id(machine._verdicts), rules)
        found = _SHARED.get(key)
        if found is None or found.decide.__self__._verdicts is not machine._verdicts:  # type: ignore[attr-defined]
            found = _SHARED[key] = cls(machine.decide, machine.phase, rules)
        return found

    def verdict(self, state: str, kind: str) -> tuple[bool, str, bool]:
        """(taken, dest, decisive): whether the machine takes it, where to, and whether that is
        a move into a decisive phase (so needs support)."""
        key = (state, kind)
        found = self._cache.get(key)
        if found is None:
            v = self.decide(state, kind)
            taken = v.outcome != "rejected"  # type: ignore[attr-defined]
            dest = v.dest  # type: ignore[attr-defined]
            to_phase = self.phase[dest]
            decisive = taken and dest != state and to_phase in self.decisive and to_phase != self.phase[state]
            found = self._cache[key] = (taken, dest, decisive)
        return found

    def step(self, state: str, info: Info) -> tuple[int, str]:
        """What the plain, support-aware machine does with one happening: (action, next state)."""
        if info.dismissed:
            return DISMISS, state
        taken, dest, decisive = self.verdict(state, info.type)
        if not taken:
            return REJECT, state
        if decisive and not info.supported:
            return HELD, state
        return APPLY, dest


def best_path(rules: Rules, start: str, infos: Sequence[Info]) -> list[int]:
    """The action taken on each happening along the best history (see the module's docstring)."""
    actions: list[int] = []
    append = actions.append
    state = start
    search = False
    cache = rules._cache
    verdict = rules.verdict
    for info in infos:
        if info.review is not None and info.review.verdict == "dismiss":
            append(DISMISS)
            continue
        found = cache.get((state, info.type)) or verdict(state, info.type)
        if not found[0]:
            append(REJECT)
            if info.weight:
                search = True
        elif found[2] and not info.supported:
            append(HELD)
        else:
            append(APPLY)
            state = found[1]
    if not search:
        return actions  # nothing supported was rejected: greedy already takes every weight
    return _viterbi(rules, start, infos)


def _viterbi(rules: Rules, start: str, infos: Sequence[Info]) -> list[int]:
    """The frontier after each happening is a "shape": its states in tie order, each with its
    score relative to the best. Shapes repeat (far-behind histories are dropped), so each
    (shape, happening signature) step is computed once and shared by every thread with the
    same machine and rules."""
    memo = rules.memo
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    penalty = rules.penalty
    shape: tuple = ((start, 0),)
    back: list[Optional[dict[str, tuple[str, int]]]] = []
    for info in infos:
        review = info.review
        if review is not None and review.verdict == "dismiss":
            back.append(None)
            continue
        key = (shape, info.type, info.supported, review is not None, info.weight)
        found = memo.get(key)
        if found is None:
            w = info.weight
            found = memo[key] = _step(rules, shape, info.type, info.supported, info.confirmed, (w, 0, -penalty if w else 0))
        shape, bp = found
        back.append(bp)
    state = shape[0][0]  # the best history, first in tie order among the best scores
    actions = [DISMISS] * len(infos)
    for i in range(len(infos) - 1, -1, -1):
        bp = back[i]
        if bp is None:
            continue
        state, actions[i] = bp[state]
    return actions


def _step(rules: Rules, shape: tuple, kind: str, supported: bool, confirmed: bool, gains: tuple[int, int, int]) -> tuple:
    """One happening through every history of the frontier: the next shape and, per state of
    it, the history it came from (state, action)."""
    new: dict[str, tuple[int, int]] = {}
    bp: dict[str, tuple[str, int]] = {}
    for pos, (s, score) in enumerate(shape):
        for t, gi, bit, act in _candidates(rules.verdict, s, kind, supported, confirmed):
            sc = score + gains[gi]
            k = pos + pos + bit  # tie order: the earlier-ranked history, then applying first
            cur = new.get(t)
            if cur is None or sc > cur[0] or (sc == cur[0] and k < cur[1]):
                new[t] = (sc, k)
                bp[t] = (s, act)
    best = max(v[0] for v in new.values())
    floor = best - rules.margin
    kept = sorted((t for t, v in new.items() if v[0] >= floor), key=lambda t: (-new[t][0], new[t][1]))
    # shape order: best score first, then tie order; the tie order among equals is what matters
    return tuple((t, new[t][0] - best) for t in kept), {t: bp[t] for t in kept}


def _candidates(verdict, s: str, kind: str, supported: bool, confirmed: bool) -> tuple:
    """What a history in state `s` may do with a happening: (next state, gain index into
    (weight, 0, -penalty), tie bit (0 = apply, preferred), action)."""
    taken, dest, decisive = verdict(s, kind)
    if not taken:
        return ((s, 2, 0, REJECT),)
    if decisive and not supported:
        return ((s, 1, 0, HELD),)
    if dest == s or confirmed:
        return ((dest, 0, 0, APPLY),)
    return ((dest, 0, 0, APPLY), (s, 1, 1, DOUBT))


def blocked_by(rules: Rules, index: int, states: Sequence[str], actions: Sequence[int], infos: Sequence[Info]) -> list[int]:
    """Had the doubted happening `index` been applied: the later happenings the chosen history
    applies that the machine would then have rejected (replayed greedily until the two
    histories meet again in one state)."""
    taken, state, _ = rules.verdict(states[index], infos[index].type)
    blocked: list[int] = []
    for j in range(index + 1, len(infos)):
        if states[j] == state:
            break
        action, nxt = rules.step(state, infos[j])
        if action == REJECT and actions[j] == APPLY:
            blocked.append(j)
        state = nxt
    return blocked


def held_reason(info: Info, rules: SupportRules, to_phase: str) -> str:
    conf = "no confidence given" if info.confidence is None else f"confidence {info.confidence:.2f} < {rules.min_confidence:.2f}"
    parts = [conf, f"{info.articles} article(s) < {rules.min_sources}"]
    if rules.attributed_counts:
        parts.append("not attributed")
    return f"a move into {to_phase} needs support ({', '.join(parts)}); confirm it to apply it"
