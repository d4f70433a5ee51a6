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
from typing import Annotated, Any, Iterable, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from negotrack.errors import InputError
from negotrack.model import ThreadDef
from negotrack.yamlio import Located, load_yaml_text

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


def _known_check(name: str, opt_in: bool) -> str:
    """Check names are the modality table's own (imported late: the table imports this module)."""
    from negotrack.definitions import did_you_mean
    from negotrack.extract.modality import exemptable_checks, opt_in_checks

    known = opt_in_checks() if opt_in else exemptable_checks()
    if not opt_in and name in opt_in_checks():
        raise ValueError(f"{name!r} runs only for types that list it under `checks:`; there is nothing to be exempt from")
    if name not in known:
        which = "extra check" if opt_in else "check a type may be exempt from"
        raise ValueError(f"unknown {which} {name!r}{did_you_mean(name, known)}; known: {', '.join(known)}")
    return name


def _pattern(item: str) -> str:
    compile_pattern(item)
    return item


ExemptCheck = Annotated[str, AfterValidator(lambda v: _known_check(v, False))]
ExtraCheck = Annotated[str, AfterValidator(lambda v: _known_check(v, True))]
Pattern = Annotated[str, AfterValidator(_pattern)]


class Cue(_Strict):
    """One cue pattern and how a match of it is read."""

    p: Pattern
    future: Optional[Future] = None
    date: DateRule = "clause"
    weight: float = Field(default=0.7, ge=0, le=1)


class TypeCues(_Strict):
    """The cues of one event type, and how extraction treats that type (keys documented in the
    header of states/lexicon.yaml): the per-type rules live here, not in the extraction code."""

    future: Future = "discard"
    needs: Optional[Literal["process"]] = None
    explicit_thread: bool = False
    meeting: bool = False  # a round of talks: a meeting with outsiders (reporters, lawmakers) is not one
    exempt: tuple[ExemptCheck, ...] = ()  # modality checks this type is not put through
    checks: tuple[ExtraCheck, ...] = ()  # opt-in checks this type is put through as well
    partial_becomes: Optional[str] = None  # the type it is read as when the `partial` list matches
    scheduled_when_dated_ahead: bool = False  # with a date after publication it is the scheduled type
    cues: tuple[Cue, ...] = ()

    @field_validator("cues", mode="before")
    @classmethod
    def _strings(cls, v: Any) -> Any:
        if isinstance(v, (list, tuple)):
            return [{"p": c} if isinstance(c, str) else c for c in v]
        return v


class Settings(_Strict):
    negation_window: int = Field(default=6, ge=0)
    hedge_window: int = Field(default=6, ge=0)
    background_days: int = 10
    base_confidence: float = 0.7
    scheduled_type: str = "talks_scheduled"  # what a planned meeting (`future: schedule`) becomes
    max_sentence_chars: int = Field(default=2000, ge=1)  # longer "sentences" are skipped, not read
    # the learned typer proposes a type where the rules are silent at `model_threshold`, and a
    # second type beside the rules' only at `model_second_threshold` (0 < t <= 1; 1 turns it off)
    model_threshold: float = Field(default=0.7, gt=0, le=1)
    model_second_threshold: float = Field(default=0.8, gt=0, le=1)
    # `extract --suggest`: learned readings down to this probability are shown as possible misses
    suggest_threshold: float = Field(default=0.3, gt=0, le=1)


LIST_NAMES = (
    "negation", "denial", "retraction", "conditional", "hedge", "aspiration", "position", "future", "reporting",
    "background", "distractor", "process", "anaphora", "demonstrative", "talks_offer", "partial",
)


def _list_name(name: str) -> str:
    if name not in LIST_NAMES:
        from negotrack.definitions import did_you_mean

        raise ValueError(f"unknown list {name!r}{did_you_mean(name, LIST_NAMES)}; known: {', '.join(LIST_NAMES)}")
    return name


ListName = Annotated[str, AfterValidator(_list_name)]


class Lexicon(_Strict):
    """The whole lexicon as loaded; `compiled()` gives the regexes extraction uses."""

    types: dict[str, TypeCues]
    lists: dict[ListName, tuple[Pattern, ...]] = Field(default_factory=dict)
    clause_separators: tuple[str, ...] = (",", ";", ":")
    names: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    settings: Settings = Settings()
    path: str = ""

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

    __slots__ = ("folded", "exact", "_last", "_low", "ends_in_word")

    def __init__(self, source: str, ends_in_word: bool = False) -> None:
        self.folded = re.compile(source)
        self.exact = re.compile(source, re.IGNORECASE)
        # every match ends on a word character: lets a search up to a cue's start be answered
        # from the sentence's matches (negotrack.extract.view.Scan) instead of searching again
        self.ends_in_word = ends_in_word
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
            lists[name] = FoldedPattern(either([compile_pattern(i.lower()) for i in items]), all(map(_ends_in_word, items)))
        seps = sorted(lex.clause_separators, key=len, reverse=True)
        separators = re.compile("|".join(re.escape(s) for s in seps) or r"(?!x)x", re.IGNORECASE)
        by_key: dict[str, set[str]] = {}
        for type_name, tc in lex.types.items():
            for cue in tc.cues:
                for w in first_words(cue.p):
                    by_key.setdefault(index_key(w), set()).add(type_name)
        keyed = {k: tuple(sorted(v)) for k, v in by_key.items()}
        return cls(lex, type_regex, cues, lists, separators, dict(lex.types), keyed, folded_regex)


def _ends_in_word(pattern: str) -> bool:
    """Whether every word of a pattern ends with a word character (so must every match)."""
    words = [w.rstrip("*?") for w in re.split(r"[\s|_]+", pattern) if w and not w.startswith("...")]
    return all(w and re.fullmatch(r"[\w'’-]", w[-1]) for w in words)


# --- loading ------------------------------------------------------------------------------------


def parse_lexicon(text: str, display: str, known_types: Optional[Iterable[str]] = None) -> Lexicon:
    """Validate lexicon YAML text; the first problem is raised as an InputError with file and line."""
    lexicon, problems = _parse(text, display, known_types)
    if problems:
        raise problems[0]
    assert lexicon is not None
    return lexicon


def _parse(text: str, display: str, known_types: Optional[Iterable[str]]) -> tuple[Optional[Lexicon], list[InputError]]:
    """The lexicon and every problem of it, each with its line (as thread definitions are checked)."""
    from negotrack.definitions import bool_word_errors, pydantic_errors

    doc = load_yaml_text(text, display)
    if not isinstance(doc.data, dict):
        return None, [doc.error((), "a lexicon is a mapping with `types:` (and `lists:`, `names:`...)")]
    if "types" not in doc.data:
        return None, [doc.error((), "missing `types:` (the cues of each event type)")]
    problems = bool_word_errors(doc) + check_lexicon(doc, known_types)
    try:
        lexicon = Lexicon(**doc.data, path=display)
    except ValidationError as exc:
        return None, sorted(problems + pydantic_errors(doc, exc), key=lambda e: e.line or 0)
    except TypeError as exc:
        return None, problems + [doc.error((), str(exc))]
    return (lexicon if not problems else None), sorted(problems, key=lambda e: e.line or 0)


def check_lexicon(doc: Located, known_types: Optional[Iterable[str]] = None) -> list[InputError]:
    """Type names the lexicon uses, as keys and as values (`partial_becomes`,
    `settings.scheduled_type`): event types of the workspace (`known_types`, as `validate` gives
    them), else types the lexicon itself has cues for.

    Read from the document as loaded, so these are reported beside any problem of its shape."""
    from negotrack.definitions import did_you_mean

    data = doc.data
    types = data.get("types") if isinstance(data.get("types"), dict) else {}
    own = [str(t) for t in types]
    known = sorted(set(known_types)) if known_types is not None else own
    errors: list[InputError] = []
    if known_types is not None:
        errors += [
            doc.error(("types", name), f"cues for unknown event type {name!r}{did_you_mean(name, known)}")
            for name in own if name not in known
        ]
    for name, rules in types.items():
        becomes = rules.get("partial_becomes") if isinstance(rules, dict) else None
        if becomes is not None and becomes not in known:
            errors.append(doc.error(("types", name, "partial_becomes"), f"partial_becomes: unknown event type {becomes!r}{did_you_mean(str(becomes), known)}"))
    settings = data.get("settings") if isinstance(data.get("settings"), dict) else {}
    if "scheduled_type" in settings or known_types is not None:
        scheduled = settings.get("scheduled_type", Settings().scheduled_type)
        if scheduled not in known:
            errors.append(doc.error(("settings", "scheduled_type"), f"scheduled_type: unknown event type {scheduled!r}{did_you_mean(str(scheduled), known)}"))
    return errors


def load_lexicon(path: Path, display: Optional[str] = None) -> Lexicon:
    """Read and validate a lexicon file (states/lexicon.yaml)."""
    shown = display or str(path)
    return parse_lexicon(_read(path, shown), shown)


def lexicon_problems(path: Path, known_types: Iterable[str], display: Optional[str] = None) -> list[InputError]:
    """Every problem of a lexicon file, for `negotrack validate`."""
    shown = display or str(path)
    try:
        return _parse(_read(path, shown), shown, known_types)[1]
    except InputError as exc:  # unreadable, or not YAML at all
        return [exc]


def _read(path: Path, shown: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None


def shipped_lexicon_path() -> Path:
    """The standard lexicon shipped beside the standard vocabulary."""
    return Path(__file__).resolve().parent.parent / "states" / "lexicon.yaml"


AnyCue = Union[str, Cue]
