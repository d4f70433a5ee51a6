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
from typing import Callable, Mapping, Optional, Sequence

from negotrack.eventlog import ATTRIBUTED, CONFIDENCE, FILE, ID, ORIGIN, TYPE
from negotrack.model import Review, SupportRules

APPLY, DOUBT, HELD, REJECT, DISMISS = range(5)
ACTION_OUTCOME = {DOUBT: "doubted", HELD: "held", REJECT: "rejected", DISMISS: "dismissed"}

SCALE = 1000  # weights are integers (log-odds × SCALE), so equal scores are exactly equal
CONFIRMED_WEIGHT = 10**12  # more than any number of unconfirmed happenings can outweigh
_LOW, _HIGH = 0.55, 0.99  # confidences are clamped here before taking log-odds


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
        manual = e[ORIGIN] == "manual"
        attributed = bool(e[ATTRIBUTED])
        conf = e[CONFIDENCE]
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
        c = 0.99 if manual else (conf or 0.0)
        c = min(_HIGH, max(_LOW, c))
        weight = round(math.log(c / (1.0 - c)) * SCALE)
    return Info(group[0][TYPE], conf, articles, attributed, manual, review, supported, weight)


Decide = Callable[[str, str], "object"]  # machines.ThreadMachine.decide: (state, type) -> Verdict


class Rules:
    """The support rules bound to one machine: what each (state, type) does, cached."""

    def __init__(self, decide: Decide, phase: Mapping[str, str], rules: SupportRules) -> None:
        self.decide = decide
        self.phase = phase
        self.rules = rules
        self.decisive = frozenset(rules.decisive)
        self.penalty = round(rules.reject_penalty * SCALE)
        self._cache: dict[tuple[str, str], tuple[bool, str, bool]] = {}

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
    state = start
    search = False
    step = rules.step
    for info in infos:
        action, state = step(state, info)
        actions.append(action)
        if action == REJECT and info.weight > 0:
            search = True
    if not search:
        return actions  # nothing supported was rejected: greedy already takes every weight
    return _viterbi(rules, start, infos)


def _viterbi(rules: Rules, start: str, infos: Sequence[Info]) -> list[int]:
    verdict = rules.verdict
    penalty = rules.penalty
    frontier: dict[str, tuple[int, int]] = {start: (0, 0)}  # state -> (score, tie key)
    back: list[Optional[dict[str, tuple[str, int]]]] = []
    for n, info in enumerate(infos):
        if info.dismissed:
            back.append(None)
            continue
        kind, w, supported, confirmed = info.type, info.weight, info.supported, info.confirmed
        new: dict[str, tuple[int, int]] = {}
        bp: dict[str, tuple[str, int]] = {}
        for s, (score, key) in frontier.items():
            taken, dest, decisive = verdict(s, kind)
            key2 = key + key
            if not taken:
                cands: tuple = ((s, score - penalty if w else score, key2, REJECT),)
            elif decisive and not supported:
                cands = ((s, score, key2, HELD),)
            elif dest == s or confirmed:
                cands = ((dest, score + w, key2, APPLY),)
            else:
                cands = ((dest, score + w, key2, APPLY), (s, score, key2 + 1, DOUBT))
            for t, sc, k, act in cands:
                cur = new.get(t)
                if cur is None or sc > cur[0] or (sc == cur[0] and k < cur[1]):
                    new[t] = (sc, k)
                    bp[t] = (s, act)
        if n % 48 == 47:  # keep the tie keys small: only their order matters
            ranked = sorted(new, key=lambda t: new[t][1])
            new = {t: (new[t][0], i) for i, t in enumerate(ranked)}
        frontier = new
        back.append(bp)
    state = min(frontier, key=lambda t: (-frontier[t][0], frontier[t][1]))
    actions = [DISMISS] * len(infos)
    for i in range(len(infos) - 1, -1, -1):
        bp = back[i]
        if bp is None:
            continue
        state, actions[i] = bp[state]
    return actions


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
    return f"held: a move into {to_phase} needs support ({', '.join(parts)}); confirm it to apply it"
