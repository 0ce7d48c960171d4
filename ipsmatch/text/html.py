"""HTML → plain text for job-ad bodies (stdlib only; nothing is ever executed or fetched).

    >>> html_to_text("<p>Vi søger&nbsp;en <b>truckfører</b></p><ul><li>Fuldtid</li><li>Aarhus</li>")
    'Vi søger en truckfører\\n\\n- Fuldtid\\n- Aarhus'
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Tags whose content is never text a reader would see.
_DROP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "iframe",
                   "object"})
# Tags that end a paragraph (blank line) or a line.
_BLOCK = frozenset({"p", "div", "section", "article", "header", "footer", "h1", "h2", "h3", "h4",
                    "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "form", "dl"})
_LINE = frozenset({"br", "li", "tr", "dt", "dd", "hr"})

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u2028\u2029]+")
_BLANKS = re.compile(r"\n{3,}")


class _TextParser(HTMLParser):
    def __init__(self, max_chars: int) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.size = 0
        self.max_chars = max_chars
        self.drop_depth = 0

    def _add(self, s: str) -> None:
        if self.size < self.max_chars:
            self.parts.append(s)
            self.size += len(s)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.drop_depth += 1
        elif tag in _BLOCK:
            self._add("\n\n")
        elif tag == "li":
            self._add("\n- ")
        elif tag in _LINE:
            self._add("\n")
        elif tag in ("td", "th"):
            self._add(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _LINE:
            self._add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.drop_depth = max(0, self.drop_depth - 1)
        elif tag in _BLOCK:
            self._add("\n\n")
        elif tag in _LINE and tag != "li":
            self._add("\n")

    def handle_data(self, data: str) -> None:
        if not self.drop_depth:
            self._add(data)


def html_to_text(s: str | None, max_chars: int = 100_000) -> str:
    """Readable plain text from an HTML fragment: paragraphs and list items kept as line
    breaks, entities unescaped, whitespace collapsed, at most ``max_chars`` characters.
    Plain text without tags passes through (whitespace-normalised)."""
    if not s:
        return ""
    if not isinstance(s, str):
        s = str(s)
    # Bound the work on hostile input: a few times the output cap is plenty of markup.
    s = s[: max(max_chars * 4, 1000)]
    # An unterminated comment hides the rest of the page in a browser; html.parser would
    # emit it as text instead.
    pos = 0
    while (start := s.find("<!--", pos)) >= 0:
        end = s.find("-->", start + 4)
        if end < 0:
            s = s[:start]
            break
        pos = end + 3
    parser = _TextParser(max_chars)
    try:
        parser.feed(s)
        parser.close()
    except Exception:  # html.parser is lenient, but never let a bad fragment stop an import
        return _normalise(re.sub(r"<[^>]*>", " ", s))[:max_chars]
    return _normalise("".join(parser.parts))[:max_chars]


def _normalise(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out = "\n".join(lines)
    out = _BLANKS.sub("\n\n", out)
    return out.strip()
