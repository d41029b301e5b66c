"""Command grammars that match typed lines the way IOS and VRP do.

A grammar is a trie of command patterns such as ``"switchport access vlan <1-4094>"``. Keywords
may be abbreviated to any unique prefix (``sw acc vl 10``) and are case-insensitive; parameters
keep what was typed, normalised by their type. Matching a line gives the action of the pattern
and the canonical words of the line (keywords spelled out), or a :class:`MatchError` that says
where the line stops making sense, so that the caller can print the vendor's caret line.

Pattern tokens: ``<lo-hi>`` is a number in that range, ``WORD`` any single token, ``LINE`` the
rest of the line (at least one token), ``A.B.C.D`` an IPv4 address, other upper-case names are
parameters the caller supplies (``IFACE`` for an interface name), anything else a keyword.
``con=console`` is a keyword typed as (a prefix of) ``console`` but spelled ``con`` in the
configuration, as IOS does with ``line con 0``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

_NUMBER_RANGE = re.compile(r"<(\d+)-(\d+)>")


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offset of the token in the line


def tokenize(line: str) -> list[Token]:
    return [Token(m.group(), m.start()) for m in re.finditer(r"\S+", line)]


class Param:
    """A parameter: consumes one or more tokens from position ``i`` and returns their value."""

    def consume(self, tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
        raise NotImplementedError


@dataclass(frozen=True)
class Number(Param):
    low: int
    high: int

    def consume(self, tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
        text = tokens[i].text
        if text.isdigit() and self.low <= int(text) <= self.high:
            return str(int(text)), i + 1
        return None


@dataclass(frozen=True)
class Word(Param):
    pattern: str = r"\S+"

    def consume(self, tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
        if re.fullmatch(self.pattern, tokens[i].text):
            return tokens[i].text, i + 1
        return None


@dataclass(frozen=True)
class Rest(Param):
    def consume(self, tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
        return " ".join(t.text for t in tokens[i:]), len(tokens)


@dataclass(frozen=True)
class Custom(Param):
    """A parameter whose parsing the vendor supplies: ``parse(tokens, i) -> (value, next)``."""

    name: str
    parse: Callable[[Sequence[Token], int], tuple[str, int] | None] = field(compare=False)

    def consume(self, tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
        return self.parse(tokens, i)


IP_ADDRESS = Word(r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)")


@dataclass
class _Node:
    word: str = ""  # how the keyword that leads here is spelled in canonical text
    keywords: dict[str, _Node] = field(default_factory=dict)  # by the full typed form
    params: list[tuple[Param, _Node]] = field(default_factory=list)
    action: Any = None


@dataclass(frozen=True)
class Match:
    action: Any  # None for a partial match (see Grammar.match)
    words: tuple[str, ...]  # the line with its keywords spelled out
    args: tuple[str, ...]  # the values of the parameters only

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class MatchError(Exception):
    kind: Literal["invalid", "incomplete", "ambiguous"]
    offset: int  # where the caret goes, relative to the start of the line
    index: int = 0  # index of the offending token (0: the line's first word)
    expects_value: bool = False  # a parameter, not a keyword, was expected there


class Grammar:
    """A set of command patterns, each with an action (anything the caller wants)."""

    def __init__(
        self, entries: Iterable[tuple[str, Any]] = (), params: dict[str, Param] | None = None
    ) -> None:
        self._root = _Node()
        self._params = {"WORD": Word(), "LINE": Rest(), "A.B.C.D": IP_ADDRESS, **(params or {})}
        for pattern, action in entries:
            self.add(pattern, action)

    def add(self, pattern: str, action: Any) -> None:
        node = self._root
        for part in pattern.split():
            node = self._child(node, part)
        node.action = action

    def _child(self, node: _Node, part: str) -> _Node:
        if rng := _NUMBER_RANGE.fullmatch(part):
            param: Param = Number(int(rng[1]), int(rng[2]))
        elif part in self._params:
            param = self._params[part]
        else:
            word, _, typed = part.partition("=")
            return node.keywords.setdefault(typed or word, _Node(word))
        for existing, child in node.params:
            if existing == param:
                return child
        child = _Node()
        node.params.append((param, child))
        return child

    def match(self, line: str, *, partial: bool = False) -> Match:
        """Match ``line``; with ``partial`` a line that stops early matches with no action."""
        tokens = tokenize(line)
        if not tokens:
            raise MatchError("incomplete", 0)
        node, words, args, i = self._root, [], [], 0
        while i < len(tokens):
            tok = tokens[i]
            keyword = self._keyword(node, tok, i)
            if keyword is not None:
                node = node.keywords[keyword]
                words.append(node.word)
                i += 1
                continue
            for param, child in node.params:
                got = param.consume(tokens, i)
                if got is not None:
                    words.append(got[0])
                    args.append(got[0])
                    node, i = child, got[1]
                    break
            else:
                raise MatchError("invalid", tok.start, i, bool(node.params))
        if node.action is None and not partial:
            raise MatchError("incomplete", len(line.rstrip()), len(tokens))
        return Match(node.action, tuple(words), tuple(args))

    @staticmethod
    def _keyword(node: _Node, tok: Token, index: int) -> str | None:
        low = tok.text.lower()
        if low in node.keywords:
            return low
        candidates = [k for k in node.keywords if k.startswith(low)]
        if len(candidates) > 1:
            raise MatchError("ambiguous", tok.start, index)
        return candidates[0] if candidates else None

