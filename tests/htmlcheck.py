"""Structural check of the HTML pages the project writes (audit report, evidence pages), for
the unit and the lab tests: balanced tags (void elements apart), one <html> and <body>, and
what the page says (text, h1/h2 headings, tags seen)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import ClassVar


class Checker(HTMLParser):
    """Balanced tags (void elements apart), one <html>, no parse trouble."""

    VOID: ClassVar[set[str]] = {"area", "base", "br", "col", "embed", "hr", "img", "input",
                                "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.seen: list[str] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag in ("h1", "h2"):
            self._heading = []
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}"
                               f" at {self.getpos()}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def check_html(text: str) -> Checker:
    c = Checker()
    c.feed(text)
    c.close()
    assert c.errors == []
    assert c.stack == [], f"unclosed: {c.stack}"
    assert c.seen.count("html") == 1 and c.seen.count("body") == 1
    assert text.startswith("<!DOCTYPE html>")
    return c
