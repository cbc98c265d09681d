"""Reading a source the user adds: plain text or Markdown, an HTML page (its main text only,
via trafilatura), a PDF (its text, via pypdf), or standard input.

    got = read_source(Path("article.html"))   # ReadText(text, title, authors, outlet, ...)
    got = read_source("-", stdin=sys.stdin.buffer)

Anything that is not text, is empty, or cannot be read raises `SourceFileError` with one line
saying which file and what is wrong. Nothing here writes.
"""

from __future__ import annotations

import io
import re
import stat
from pathlib import Path
from typing import IO, Any

from paradiplo.db.decoding import decode_text
from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _
from paradiplo.db.record import record

MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class SourceFileError(ParadiploError):
    """The file cannot be added as a source; nothing was stored."""


@record
class ReadText:
    """A source's text and what the file itself says of its provenance (HTML metadata)."""

    text: str
    file: str | None
    format: str  # text | html | pdf
    title: str | None = None
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None


def read_source(path: Path | str, stdin: IO[bytes] | None = None) -> ReadText:
    """Read and extract a source file ("-": standard input, format told by its content)."""
    if str(path) == "-":
        if stdin is None:
            raise SourceFileError(_("No standard input to read."))
        raw = stdin.read(MAX_BYTES + 1)
        name, where = None, _("standard input")
        suffix = ""
    else:
        p = Path(path)
        where, name, suffix = str(p), p.name, p.suffix.lower()
        raw = _read_file(p)
    if len(raw) > MAX_BYTES:
        raise SourceFileError(_too_large(where))
    if not raw.strip():
        raise SourceFileError(_("{where} is empty: nothing to add.").format(where=where))
    kind = _kind(raw, suffix)
    if kind == "pdf":
        return _pdf(raw, where, name)
    text = _decode(raw, where)
    if kind == "html":
        return _html(text, where, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceFileError(
            _("{where} holds only blank space: nothing to add.").format(where=where)
        )
    return ReadText(text=text, file=name, format="text")


def _too_large(where: str) -> str:
    return _("{where} is larger than {mb} MB; not a source text.").format(
        where=where, mb=MAX_BYTES // 2**20
    )


def _cannot_read(p: Path, exc: OSError) -> SourceFileError:
    if isinstance(exc, FileNotFoundError):
        return SourceFileError(_("{path}: no such file.").format(path=p))
    return SourceFileError(
        _("{path}: cannot read it ({reason}).").format(path=p, reason=exc.strerror)
    )


def _read_file(p: Path) -> bytes:
    try:
        st = p.stat()
    except OSError as exc:
        raise _cannot_read(p, exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise SourceFileError(
            _("{path} is a folder; give a .txt, .md, .html or .pdf file.").format(path=p)
        )
    if not stat.S_ISREG(st.st_mode):
        raise SourceFileError(
            _("{path} is not a regular file (a device, pipe or socket); not read.").format(path=p)
        )
    if st.st_size > MAX_BYTES:
        raise SourceFileError(_too_large(str(p)))
    try:
        return p.read_bytes()
    except OSError as exc:
        raise _cannot_read(p, exc) from None


def _kind(raw: bytes, suffix: str) -> str:
    head = raw[:1024].lstrip().lower()
    if raw.startswith(b"%PDF") or suffix == ".pdf":
        return "pdf"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if head.startswith((b"<!doctype html", b"<html", b"\xef\xbb\xbf<!doctype html")):
        return "html"
    return "text"


def _decode(raw: bytes, where: str) -> str:
    def not_text(_nul: int) -> str:
        return _(
            "{where} is not text (it holds NUL bytes: an image, an office document or another "
            "binary file?). Give a .txt, .md, .html or .pdf file."
        ).format(where=where)

    return decode_text(raw, where, SourceFileError, not_text, nul_within=65536)


def _html(html: str, where: str, name: str | None) -> ReadText:
    """The article's main text (no navigation, scripts or boilerplate) and its metadata."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a dependency
        raise SourceFileError(
            _("Reading HTML needs trafilatura (pip install trafilatura).")
        ) from None
    try:
        text = trafilatura.extract(
            html, include_comments=False, include_tables=True, favor_precision=True
        )
        if not text:
            text = trafilatura.extract(html, include_comments=False, favor_recall=True)
        meta: Any = trafilatura.extract_metadata(html)
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        raise SourceFileError(
            _("{where}: the HTML could not be read ({error}).").format(where=where, error=exc)
        ) from None
    if not text or not text.strip():
        raise SourceFileError(
            _(
                "{where}: no article text found in this HTML page (only navigation or "
                "scripts?). Save the article's text as .txt and add that."
            ).format(where=where)
        )
    authors: tuple[str, ...] = ()
    if meta is not None and meta.author:
        authors = tuple(a.strip() for a in str(meta.author).split(";") if a.strip())
    return ReadText(
        text=text,
        file=name,
        format="html",
        title=(meta.title if meta is not None else None) or None,
        authors=authors,
        outlet=(meta.sitename if meta is not None else None) or None,
        published=_date(meta.date) if meta is not None else None,
        url=(meta.url if meta is not None else None) or None,
        language=_language(meta.language if meta is not None else None) or _html_lang(html),
    )


def _html_lang(html: str) -> str | None:
    """The page's declared language (<html lang="id">), if it is Indonesian or English."""
    m = re.search(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2})", html[:4096], re.I)
    return _language(m.group(1)) if m else None


def _date(value: object) -> str | None:
    from paradiplo.db.dates import date_problem

    text = str(value or "")[:10]
    return text if text and date_problem(text) is None else None


def _language(value: object) -> str | None:
    text = str(value or "").lower()[:2]
    return text if text in ("id", "en") else None


def _pdf(raw: bytes, where: str, name: str | None) -> ReadText:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - a dependency
        raise SourceFileError(_("Reading PDF needs pypdf (pip install pypdf).")) from None
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise SourceFileError(
                _("{where}: the PDF is encrypted; save an unlocked copy.").format(where=where)
            )
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except SourceFileError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise SourceFileError(
            _("{where}: not a readable PDF ({error}).").format(where=where, error=exc)
        ) from None
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise SourceFileError(
            _(
                "{where}: the PDF has no text layer (a scanned image?). Run OCR on it or save "
                "its text as .txt, then add that."
            ).format(where=where)
        )
    return ReadText(text=text, file=name, format="pdf", title=str(title) if title else None)
