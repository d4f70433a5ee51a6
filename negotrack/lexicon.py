"""The cue lexicon: which wording signals which event type, and the modality word lists.

Cues are written in a small pattern language (see the header of states/lexicon.yaml) so that a
user can add cues for a new thread without writing regular expressions. Every pattern is
compiled once, and indexed by the first letters of each cue's first word, so a sentence is only
matched against the types whose cues can start in it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from negotrack.errors import InputError
from negotrack.model import ThreadDef

Future = Literal["keep", "schedule", "discard"]
DateRule = Literal["clause", "report"]

DEFAULT_GAP = 4
# One word inside a `...` gap: anything but space and the marks that close a clause or a quote.
_GAP_WORD = r"[^\s,;:()\"“”]+"
_WORD_CHARS = r"[\w'’-]*"


class PatternError(ValueError):
    """A cue pattern that does not follow the syntax."""


def _slot_regex(slot: str) -> str:
    """One slot ("a|b_c|d*") as a regex alternation."""
    alternatives = []
    for alt in slot.split("|"):
        if not alt:
            raise PatternError(f"empty alternative in {slot!r}")
        words = []
        for word in alt.split("_"):
            if not word:
                raise PatternError(f"empty word in {slot!r}")
            if word.endswith("*"):
                stem = word[:-1]
                if not stem or "*" in stem:
                    raise PatternError(f"`*` must end a word with a stem before it: {word!r}")
                words.append(re.escape(stem) + _WORD_CHARS)
            else:
                if "*" in word:
                    raise PatternError(f"`*` may only end a word: {word!r}")
                words.append(re.escape(word))
        alternatives.append(r"\s+".join(words))
    return "(?:" + "|".join(alternatives) + ")"


TOKEN = re.compile(r"[\w'’-]+")


def first_words(pattern: str) -> list[str]:
    """The words a match of `pattern` can start with (stems without `*`), lower case."""
    return [alt.split("_")[0].rstrip("*").lower() for alt in pattern.split()[0].rstrip("?").split("|")]


def index_key(word: str) -> str:
    """Words are indexed by the first three letters of their first token ("U.S." by "u"): a stem
    and its inflections share the key, and text tokens are looked up the same way."""
    m = TOKEN.match(word)
    return (m.group() if m else word)[:3].lower()


def compile_pattern(pattern: str) -> str:
    """Translate one cue pattern to a regular expression source (matched with IGNORECASE).

    The result starts and ends on word boundaries, so "talk*" never matches inside "stalk".
    """
    tokens = pattern.split()
    if not tokens:
        raise PatternError("empty pattern")
    parts: list[str] = []
    gap: Optional[int] = None
    for tok in tokens:
        m = re.fullmatch(r"\.\.\.(\d*)", tok)
        if m:
            if not parts or gap is not None:
                raise PatternError("`...` must stand between two words")
            gap = int(m.group(1)) if m.group(1) else DEFAULT_GAP
            continue
        optional = tok.endswith("?") and len(tok) > 1
        slot = _slot_regex(tok[:-1] if optional else tok)
        if not parts:
            if optional:
                raise PatternError("a pattern cannot start with an optional word")
            parts.append(slot)
        else:
            sep = rf"\s+(?:{_GAP_WORD}\s+){{0,{gap}}}?" if gap is not None else r"\s+"
            parts.append(f"(?:{sep}{slot})?" if optional else f"{sep}{slot}")
        gap = None
    if gap is not None:
        raise PatternError("`...` must stand between two words")
    body = "".join(parts)
    return rf"{LEFT}{body}(?![\w'’])"


# The left word boundary. Alternations put it once in front (`either`): repeated inside every
# alternative it stops the regex engine's first-character scan and costs ~20x the time.
LEFT = r"(?<![\w'’-])"


def either(sources: list[str]) -> str:
    """One regex for several compiled patterns, with the shared left boundary factored out."""
    if not sources:
        return r"(?!x)x"
    return LEFT + "(?:" + "|".join(_unbounded(s) for s in sources) + ")"


def _unbounded(source: str) -> str:
    if source.startswith(LEFT):
        return source[len(LEFT):]
    m = re.match(r"\(\?P<(\w+)>" + re.escape(LEFT), source)
    if m:
        return f"(?P<{m.group(1)}>" + source[m.end():]
    return source


# --- the records ------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cue(_Strict):
    """One cue pattern and how a match of it is read."""

    p: str
    future: Optional[Future] = None
    date: DateRule = "clause"
    weight: float = Field(default=0.7, ge=0, le=1)

    @field_validator("p")
    @classmethod
    def _valid(cls, v: str) -> str:
        compile_pattern(v)
        return v


class TypeCues(_Strict):
    future: Future = "discard"
    needs: Optional[Literal["process"]] = None
    explicit_thread: bool = False
    cues: tuple[Cue, ...] = ()

    @field_validator("cues", mode="before")
    @classmethod
    def _strings(cls, v: Any) -> Any:
        if isinstance(v, (list, tuple)):
            return [{"p": c} if isinstance(c, str) else c for c in v]
        return v


class Settings(_Strict):
    negation_window: int = 6
    hedge_window: int = 6
    background_days: int = 10
    base_confidence: float = 0.7


LIST_NAMES = (
    "negation", "denial", "retraction", "conditional", "hedge", "aspiration", "position", "future", "reporting",
    "background", "distractor", "process", "anaphora", "demonstrative", "talks_offer", "partial",
)


class Lexicon(_Strict):
    """The whole lexicon as loaded; `compiled()` gives the regexes extraction uses."""

    types: dict[str, TypeCues]
    lists: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    clause_separators: tuple[str, ...] = (",", ";", ":")
    names: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    settings: Settings = Settings()
    path: str = ""

    @field_validator("lists")
    @classmethod
    def _lists(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        unknown = set(v) - set(LIST_NAMES)
        if unknown:
            raise ValueError(f"unknown list(s) {sorted(unknown)}; known: {', '.join(LIST_NAMES)}")
        for name, items in v.items():
            for item in items:
                try:
                    compile_pattern(item)
                except PatternError as exc:
                    raise ValueError(f"list {name}: pattern {item!r}: {exc}") from None
        return v

    def with_thread_cues(self, thread: ThreadDef) -> "Lexicon":
        """The lexicon plus a thread's own `cues:` (added to the type's cues; new types allowed)."""
        if not thread.cues:
            return self
        types = dict(self.types)
        for type_name, patterns in thread.cues.items():
            extra = tuple(Cue(p=p) for p in patterns)
            base = types.get(type_name, TypeCues())
            types[type_name] = base.model_copy(update={"cues": base.cues + extra})
        return self.model_copy(update={"types": types})

    def compiled(self) -> "CompiledLexicon":
        key = id(self)
        hit = _COMPILED.get(key)
        if hit is None or hit[0] is not self:
            hit = (self, CompiledLexicon.build(self))
            _COMPILED[key] = hit
        return hit[1]


_COMPILED: dict[int, tuple[Lexicon, "CompiledLexicon"]] = {}


class FoldedPattern:
    """A word-list regex run on lower-cased text instead of with IGNORECASE.

    The lists are lower case, and without IGNORECASE the regex engine compares characters
    directly: two to three times faster on these long alternations, with the same matches.
    Text whose lower-casing changes its length (a few scripts) uses the IGNORECASE regex, so
    match positions always refer to the text given.
    """

    __slots__ = ("folded", "exact", "_last", "_low")

    def __init__(self, source: str) -> None:
        self.folded = re.compile(source)
        self.exact = re.compile(source, re.IGNORECASE)
        self._last: Optional[str] = None
        self._low = ""

    @property
    def pattern(self) -> str:
        return self.folded.pattern

    def _fold(self, text: str) -> Optional[str]:
        if text is not self._last:
            self._last, self._low = text, text.lower()
        return self._low if len(self._low) == len(text) else None

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Optional[re.Match[str]]:
        low = self._fold(text)
        return self.folded.search(low, pos, endpos) if low is not None else self.exact.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Optional[re.Match[str]]:
        low = self._fold(text)
        return self.folded.match(low, pos, endpos) if low is not None else self.exact.match(text, pos, endpos)


@dataclass(frozen=True)
class CompiledCue:
    type: str
    pattern: str
    future: Future
    date: DateRule
    weight: float


@dataclass
class CompiledLexicon:
    """Regexes built once: one per type (named groups say which cue fired), the same for
    lower-cased text, and an index from a word's first letters to the types whose cues start so."""

    lexicon: Lexicon
    type_regex: dict[str, re.Pattern[str]]
    cues: dict[str, CompiledCue]  # group name -> cue
    lists: dict[str, FoldedPattern]
    separators: re.Pattern[str]
    type_cues: dict[str, TypeCues] = field(default_factory=dict)
    by_key: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word key -> types
    folded_regex: dict[str, re.Pattern[str]] = field(default_factory=dict)  # type_regex for lower-cased text

    def hits(self, text: str) -> list[tuple[int, int, CompiledCue]]:
        """Every cue match, found only where a cue's first word stands (the types are indexed by
        first words, so a sentence costs one tokenisation plus a few anchored matches)."""
        out: list[tuple[int, int, CompiledCue]] = []
        low = text.lower()
        regexes = self.folded_regex
        if len(low) != len(text):  # lower-casing changed the length: match the text as it is
            low, regexes = text, self.type_regex
        by_key = self.by_key
        for tok in TOKEN.finditer(low):
            types = by_key.get(tok.group()[:3])
            if not types:
                continue
            i = tok.start()
            for t in types:
                m = regexes[t].match(low, i)
                if m:
                    out.append((m.start(), m.end(), self.cues[m.lastgroup]))
        return out

    @classmethod
    def build(cls, lex: Lexicon) -> "CompiledLexicon":
        type_regex: dict[str, re.Pattern[str]] = {}
        folded_regex: dict[str, re.Pattern[str]] = {}  # the same on lower-cased text, no IGNORECASE
        cues: dict[str, CompiledCue] = {}
        n = 0
        for type_name, tc in lex.types.items():
            groups = []
            folded_groups = []
            for cue in tc.cues:
                name = f"c{n}"
                n += 1
                src = compile_pattern(cue.p)
                groups.append(f"(?P<{name}>{src})")
                folded_groups.append(f"(?P<{name}>{compile_pattern(cue.p.lower())})")
                cues[name] = CompiledCue(type_name, cue.p, cue.future or tc.future, cue.date, cue.weight)
            if groups:
                type_regex[type_name] = re.compile(either(groups), re.IGNORECASE)
                folded_regex[type_name] = re.compile(either(folded_groups))
        lists = {}
        for name in LIST_NAMES:
            items = lex.lists.get(name, ())
            lists[name] = FoldedPattern(either([compile_pattern(i.lower()) for i in items]))
        seps = sorted(lex.clause_separators, key=len, reverse=True)
        separators = re.compile("|".join(re.escape(s) for s in seps) or r"(?!x)x", re.IGNORECASE)
        by_key: dict[str, set[str]] = {}
        for type_name, tc in lex.types.items():
            for cue in tc.cues:
                for w in first_words(cue.p):
                    by_key.setdefault(index_key(w), set()).add(type_name)
        keyed = {k: tuple(sorted(v)) for k, v in by_key.items()}
        return cls(lex, type_regex, cues, lists, separators, dict(lex.types), keyed, folded_regex)


# --- loading ------------------------------------------------------------------------------------


def _line_of(text: str, needle: str) -> Optional[int]:
    """The first line that mentions `needle`: errors point at a line even after yaml.safe_load."""
    for i, line in enumerate(text.splitlines(), 1):
        if needle and needle in line:
            return i
    return None


def parse_lexicon(text: str, display: str) -> Lexicon:
    """Validate lexicon YAML text; every problem is an InputError with file and line."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(display, f"not valid YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise InputError(display, "a lexicon is a mapping with `types:` (and `lists:`, `names:`...)", 1)
    if "types" not in data:
        raise InputError(display, "missing `types:` (the cues of each event type)", 1)
    try:
        return Lexicon(**data, path=display)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"]]
        line = None
        for part in reversed(loc):
            if not part.isdigit():
                line = _line_of(text, part + ":") or _line_of(text, part)
                if line:
                    break
        bad = err.get("input")
        if isinstance(bad, str):
            line = _line_of(text, bad) or line
        where = ".".join(loc)
        raise InputError(display, f"{where}: {err['msg']}", line) from None
    except TypeError as exc:
        raise InputError(display, str(exc), 1) from None


def load_lexicon(path: Path, display: Optional[str] = None) -> Lexicon:
    """Read and validate a lexicon file (states/lexicon.yaml)."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None
    return parse_lexicon(text, shown)


def check_types(lexicon: Lexicon, known_types: set[str]) -> list[InputError]:
    """Cue types that are not event types of the vocabulary (a typo would never fire)."""
    text = Path(lexicon.path).read_text(encoding="utf-8") if lexicon.path and Path(lexicon.path).exists() else ""
    return [
        InputError(lexicon.path or "lexicon", f"cues for unknown event type {t!r}", _line_of(text, t + ":"))
        for t in lexicon.types
        if t not in known_types
    ]


def shipped_lexicon_path() -> Path:
    """The standard lexicon shipped beside the standard vocabulary."""
    return Path(__file__).resolve().parent.parent / "states" / "lexicon.yaml"


AnyCue = Union[str, Cue]
