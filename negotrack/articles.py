"""Reading article files into `Article` records.

Three layouts are read: plain text (headline, optional caption, date line, body), text or
Markdown with YAML front matter, and HTML pages (main text drawn out by trafilatura). Whatever
is wrong with a file becomes an `InputError` naming it, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any, Optional

import yaml

from negotrack.dates import parse_date_line
from negotrack.errors import InputError
from negotrack.model import Article

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
# Files that sit beside articles in a corpus folder but are not articles.
_NOT_ARTICLES = frozenset({"THREADS.md", "FACTS.md", "gold.yaml"})
_NO_DATE = "no publication date found; give one with --published YYYY-MM-DD"
# Lines after the headline searched for the date line (captions come before it).
_DATE_LINE_REACH = 3
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_HTML_DATE_CONFIG = {"extensive_search": False, "original_date": True}
_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html)\b", re.IGNORECASE)


def iter_article_paths(paths: list[Path]) -> list[Path]:
    """The article files named by `paths`, folders searched recursively; sorted, no repeats.

    A file named outright is taken as it is; inside folders only article suffixes count, and
    README*, THREADS.md, FACTS.md, gold.yaml and dot-files (or dot-folders) are skipped.
    """
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*") if _is_article_file(p, path))
        elif path.is_file():
            found.add(path)
        else:
            raise InputError(str(path), "no such file or folder")
    return sorted(found)


def _is_article_file(path: Path, root: Path) -> bool:
    name = path.name
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    return (
        path.is_file()
        and path.suffix.lower() in ARTICLE_SUFFIXES
        and not hidden
        and not name.upper().startswith("README")
        and name not in _NOT_ARTICLES
    )


def read_article(
    path: Path, published: Optional[dt.date] = None, display_path: Optional[str] = None
) -> Article:
    """Read one article file; `published` overrides any date the file gives.

    `display_path` is the path recorded in the Article (and named in errors), so stored events
    can point at a corpus-relative path rather than wherever the file happens to lie.
    """
    shown = display_path if display_path is not None else str(path)
    text = _decode(_read_bytes(path, shown), shown)
    if _HTML_START.match(text) or path.suffix.lower() in (".html", ".htm"):
        return _read_html(text, shown, published)
    if _FENCE.match(text):
        return _read_front_matter(text, shown, published)
    return _read_plain(text, shown, published)


# A saved news page, scripts and all, runs to a few megabytes and its text to tens of kilobytes;
# a larger file is a dump or an archive, and reading it would hold up the files after it.
MAX_ARTICLE_BYTES = 5_000_000


def _read_bytes(path: Path, shown: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise InputError(shown, f"{size:,} bytes: larger than an article can be ({MAX_ARTICLE_BYTES:,} bytes); not read")
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(shown, "is a folder, not an article file") from None
    except OSError as e:
        raise InputError(shown, f"cannot read file: {e.strerror or e}") from None


def _decode(data: bytes, shown: str) -> str:
    """The file's text: UTF-8 with any BOM dropped and Windows line ends made plain `\\n`."""
    if b"\x00" in data:
        raise InputError(shown, "binary file, not an article")
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as e:
        offset = bom + e.start
        line = data[:offset].count(b"\n") + 1
        raise InputError(
            shown, f"not UTF-8 text: byte 0x{data[offset]:02x} at byte offset {offset}", line
        ) from None
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise InputError(shown, "empty article")
    return text


def _article(
    shown: str, text: str, published: Optional[dt.date], body_start: int, **fields: Any
) -> Article:
    if published is None:
        raise InputError(shown, _NO_DATE)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Article(
        path=shown, text=text, published=published, body_start=body_start, sha256=sha, **fields
    )


def _skip_space(text: str, pos: int) -> int:
    """The offset of the first non-blank character from `pos` (or the end of the text)."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end + 1


# --- plain text ------------------------------------------------------------------------------


def _read_plain(text: str, shown: str, published: Optional[dt.date]) -> Article:
    """Headline, then up to a few caption lines, then a date line; the body follows."""
    title, file_date, body_start = _head(text, 0)
    return _article(shown, text, published or file_date, body_start, title=title)


def _head(text: str, start: int) -> tuple[str, Optional[dt.date], int]:
    """Title, date and body offset of the headline block that starts at `start`.

    Without a date line nothing marks where captions end, so the body starts after the headline.
    """
    pos = _skip_space(text, start)
    first_end = _line_end(text, pos)
    first = text[pos:first_end].strip()
    if (on_first := parse_date_line(first)) is not None:
        return "", on_first, _skip_space(text, first_end)
    title = first[2:].strip() if first.startswith("# ") else first
    line_start = first_end
    for _ in range(_DATE_LINE_REACH):
        line_start = _skip_space(text, line_start)
        line_end = _line_end(text, line_start)
        found = parse_date_line(text[line_start:line_end])
        if found is not None:
            return title, found, _skip_space(text, line_end)
        line_start = line_end
    return title, None, _skip_space(text, first_end)


# --- front matter ----------------------------------------------------------------------------


def _read_front_matter(text: str, shown: str, published: Optional[dt.date]) -> Article:
    """YAML between `---` lines gives title, published, source and url; the body follows."""
    opening_end = _line_end(text, 0)
    closing = _CLOSING_FENCE.search(text, opening_end)
    if closing is None:
        raise InputError(shown, "front matter has no closing '---' line", 1)
    meta = _load_front_matter(text[opening_end : closing.start()], shown)
    body = _skip_space(text, _line_end(text, closing.start()))

    title = _text_field(meta, "title")
    body_start = body
    if text.startswith("# ", body):  # a Markdown headline is the title, not news of its own
        title = title or text[body + 2 : _line_end(text, body)].strip()
        body_start = _skip_space(text, _line_end(text, body))

    file_date = _date_field(meta, text, shown)
    if file_date is None:  # a date line may still follow, as in plain text
        _, file_date, after_head = _head(text, body)
        if file_date is not None:
            body_start = after_head
    return _article(
        shown,
        text,
        published or file_date,
        body_start,
        title=title,
        outlet=_text_field(meta, "source"),
        url=_text_field(meta, "url") or None,
    )


class _FrontMatterLoader(yaml.SafeLoader):
    """yaml.safe_load's loader, except that dates stay text: YAML would raise a bare ValueError
    for "2025-13-45", where `_date_field` can name the key and its line."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_front_matter(block: str, shown: str) -> dict[str, Any]:
    try:
        meta = yaml.load(block, Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None  # +1 for the fence, +1 as 1-based
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputError(shown, f"malformed front matter: {problem}", line) from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise InputError(shown, "front matter must be a mapping of keys to values", 2)
    return meta


def _text_field(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    return "" if value is None else str(value).strip()


def _date_field(meta: dict[str, Any], text: str, shown: str) -> Optional[dt.date]:
    """The `published` key (or `date`) as a date: YAML may give a date, a datetime or a string."""
    key = "published" if "published" in meta else "date"
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    parsed = parse_date_line(str(value)) or _iso_date(str(value))
    if parsed is None:
        line = _key_line(text, key)
        raise InputError(shown, f"front matter '{key}' is not a date: {value!r}", line)
    return parsed


def _key_line(text: str, key: str) -> Optional[int]:
    m = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else None


# --- HTML ------------------------------------------------------------------------------------


def _read_html(html: str, shown: str, published: Optional[dt.date]) -> Article:
    """The page's main text as trafilatura finds it, with its title, date, site name and URL."""
    try:  # imported here: trafilatura is slow to load and only HTML needs it
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=False)
        # No guessing from copyright lines or dates in the text: those are not publication dates.
        meta = trafilatura.extract_metadata(html, date_config=_HTML_DATE_CONFIG)
    except Exception as e:  # a broken page must not become a traceback
        raise InputError(shown, f"cannot read HTML page: {e}") from None
    if not text or not text.strip():
        raise InputError(shown, "no article text found in HTML page")
    title = (meta.title or "").strip() if meta else ""
    file_date = _iso_date(meta.date) if meta else None
    body_start = 0
    first_end = _line_end(text, 0)
    if title and text[:first_end].strip() == title:  # trafilatura may repeat the headline
        body_start = _skip_space(text, first_end)
    return _article(
        shown,
        text,
        published or file_date,
        body_start,
        title=title,
        outlet=(meta.sitename or "").strip() if meta else "",
        url=(meta.url or None) if meta else None,
    )


def _iso_date(value: Optional[str]) -> Optional[dt.date]:
    """The date of an ISO 8601 date or timestamp ("2025-07-09T08:30:00Z"), else None."""
    try:
        return dt.datetime.fromisoformat(value.strip()).date() if value else None
    except ValueError:
        return None
