"""RouterOS script syntax, as much of it as the simulator runs: words, groups and expressions.

A line of RouterOS script is statements separated by ``;``; a statement is words separated by
blanks, and a word is made of pieces written one after the other: bare text, a quoted string
(``"wg-merkez"``, with RouterOS escapes such as ``\\"``, ``\\$`` and ``\\C3``), a command
substitution (``[find where name="x"]``), a block (``do={ ... }``) or an expression
(``([:len [find]] = 0)``). ``name="wg"`` is one word: the key ``name`` and its value.

Expressions (``:if`` conditions, ``find where`` and ``print where`` clauses) have comparisons
(``=``, ``!=``, ``<``, ``>``, ``<=``, ``>=``, ``~`` for a regular expression), ``!``,
``and``/``&&``, ``or``/``||`` and parentheses. An identifier is looked up by the caller: in a
``where`` clause, a property of the item (``dynamic``, ``dst-address``); a word the caller does
not know is a literal (``10.10.0.0/24``, ``no``).

What is not here (the simulator answers with a syntax error): variables (``$x``, ``:local``,
``:global``), loops, arrays written as ``{a;b}``, arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Value = str | int | bool | list[str] | None  # what statements and expressions give
PieceKind = Literal["bare", "str", "cmd", "block", "expr"]
_CLOSE = {"[": "]", "{": "}", "(": ")"}
_KIND: dict[str, PieceKind] = {"[": "cmd", "{": "block", "(": "expr"}
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "$": "$", "?": "?",
            "_": " ", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
# characters RouterOS prints without quotes (export, print); anything else is quoted
_PLAIN = re.compile(r"[A-Za-z0-9_.:/,!*+-]+")


class ScriptError(Exception):
    """A line RouterOS refuses; the message is RouterOS's (``syntax error (line 1 column 5)``)."""


def syntax_error(offset: int) -> ScriptError:
    return ScriptError(f"syntax error (line 1 column {offset + 1})")


@dataclass(frozen=True)
class Piece:
    kind: PieceKind
    text: str  # bare text, the unescaped string, or the source inside the brackets
    start: int  # offset of the text in the line


@dataclass(frozen=True)
class Word:
    pieces: tuple[Piece, ...]
    start: int
    end: int  # offset after the word

    @property
    def bare(self) -> str | None:
        """The word's text when it is one piece of bare text (a command or keyword)."""
        if len(self.pieces) == 1 and self.pieces[0].kind == "bare":
            return self.pieces[0].text
        return None

    def split_key(self) -> tuple[str, Word] | None:
        """``key=value`` → (``key``, the value as a word); None for a word without a key."""
        first = self.pieces[0]
        if first.kind != "bare" or "=" not in first.text.lstrip("="):
            return None
        key, _, rest = first.text.partition("=")
        value = [Piece("bare", rest, first.start + len(key) + 1)] if rest else []
        return key, Word((*value, *self.pieces[1:]), first.start + len(key) + 1, self.end)


def _unescape(src: str, i: int) -> tuple[str, int]:
    """The string that starts with the quote at ``src[i]``, and the offset after it."""
    out = bytearray()
    i += 1
    while i < len(src):
        c = src[i]
        if c == '"':
            return out.decode("utf-8", errors="replace"), i + 1
        if c == "\\" and i + 1 < len(src):
            nxt = src[i + 1]
            if re.fullmatch(r"[0-9A-F]{2}", src[i + 1 : i + 3]):
                out.append(int(src[i + 1 : i + 3], 16))
                i += 3
                continue
            out += _ESCAPES.get(nxt, nxt).encode()
            i += 2
            continue
        out += c.encode()
        i += 1
    raise syntax_error(i)


def _group_end(src: str, i: int) -> int:
    """The offset of the bracket that closes the one at ``src[i]``."""
    stack = [_CLOSE[src[i]]]
    i += 1
    while i < len(src):
        c = src[i]
        if c == '"':
            i = _unescape(src, i)[1]
            continue
        if c in _CLOSE:
            stack.append(_CLOSE[c])
        elif c in ")]}":
            if c != stack.pop():
                raise syntax_error(i)
            if not stack:
                return i
        i += 1
    raise syntax_error(i)


def statements(src: str, start: int = 0, end: int | None = None) -> list[list[Word]]:
    """The statements of ``src[start:end]``, each as its words."""
    end = len(src) if end is None else end
    out: list[list[Word]] = [[]]
    pieces: list[Piece] = []
    word_start = start
    i = start

    def finish_word() -> None:
        if pieces:
            out[-1].append(Word(tuple(pieces), word_start, i))
            pieces.clear()

    while i < end:
        c = src[i]
        if c.isspace() or c == ";":
            finish_word()
            if c in ";\n" and out[-1]:
                out.append([])
            i += 1
            continue
        if not pieces:
            word_start = i
        if c == '"':
            text, after = _unescape(src, i)
            pieces.append(Piece("str", text, i))
            i = after
        elif c in _CLOSE:
            close = _group_end(src, i)
            if close >= end:
                raise syntax_error(i)
            pieces.append(Piece(_KIND[c], src[i + 1 : close], i + 1))
            i = close + 1
        elif c in ")]}":
            raise syntax_error(i)
        else:
            m = re.compile(r"[^\s;\"\[\]{}()]+").match(src, i, end)
            assert m is not None
            if "$" in m.group():
                raise syntax_error(i + m.group().index("$"))
            pieces.append(Piece("bare", m.group(), i))
            i = m.end()
    finish_word()
    return [s for s in out if s]


# --- expressions ------------------------------------------------------------------------------

_TOKEN = re.compile(
    r'\s*(?:(?P<op>!=|<=|>=|&&|\|\||[=<>~!()])|(?P<str>")|(?P<cmd>\[)'
    r'|(?P<word>[^\s=<>~!()\[\]"&|]+))'
)
# ("or"|"and", a, b), ("not", a), ("cmp", op, a, b), ("ident", name), ("lit", value),
# ("cmd", source, offset)
Node = tuple[Any, ...]


def parse_expression(src: str, start: int = 0, end: int | None = None) -> Node:
    """The expression in ``src[start:end]`` as a tree; raises :class:`ScriptError`."""
    end = len(src) if end is None else end
    tokens: list[tuple[str, object, int]] = []  # (kind, value, offset)
    i = start
    while i < end:
        m = _TOKEN.match(src, i, end)
        if m is None or m.end() == i:
            if src[i:end].strip():
                raise syntax_error(i)
            break
        at = m.end() - len(m.group().lstrip())
        if m["op"]:
            tokens.append(("op", m["op"], at))
            i = m.end()
        elif m["str"]:
            text, i = _unescape(src, at)
            tokens.append(("lit", text, at))
        elif m["cmd"]:
            close = _group_end(src, at)
            if close >= end:
                raise syntax_error(at)
            tokens.append(("cmd", src[at + 1 : close], at + 1))
            i = close + 1
        else:
            word = m["word"]
            if "$" in word:
                raise syntax_error(at)
            if word in ("and", "or"):
                tokens.append(("op", "&&" if word == "and" else "||", at))
            else:
                tokens.append(("word", word, at))
            i = m.end()
    return _Parser(tokens, end).parse()


class _Parser:
    def __init__(self, tokens: list[tuple[str, object, int]], end: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.end = end

    def parse(self) -> Node:
        node = self._or()
        if self.i != len(self.tokens):
            raise syntax_error(self.tokens[self.i][2])
        return node

    def _peek(self, *ops: str) -> bool:
        if self.i < len(self.tokens):
            kind, value, _ = self.tokens[self.i]
            return kind == "op" and value in ops
        return False

    def _or(self) -> Node:
        node = self._and()
        while self._peek("||"):
            self.i += 1
            node = ("or", node, self._and())
        return node

    def _and(self) -> Node:
        node = self._not()
        while self._peek("&&"):
            self.i += 1
            node = ("and", node, self._not())
        return node

    def _not(self) -> Node:
        if self._peek("!"):
            self.i += 1
            return ("not", self._not())
        return self._comparison()

    def _comparison(self) -> Node:
        left = self._operand()
        if self._peek("=", "!=", "<", ">", "<=", ">=", "~"):
            op = self.tokens[self.i][1]
            self.i += 1
            return ("cmp", op, left, self._operand())
        return left

    def _operand(self) -> Node:
        if self.i == len(self.tokens):
            raise syntax_error(self.end)
        kind, value, offset = self.tokens[self.i]
        self.i += 1
        if kind == "op" and value == "(":
            node = self._or()
            if not self._peek(")"):
                raise syntax_error(self.tokens[self.i][2] if self.i < len(self.tokens)
                                   else self.end)
            self.i += 1
            return node
        if kind == "op":
            raise syntax_error(offset)
        if kind == "word":
            assert isinstance(value, str)
            return ("lit", int(value)) if value.isdigit() else ("ident", value)
        return (kind, value) if kind == "lit" else (kind, value, offset)


def evaluate(node: Node, lookup: Callable[[str], Value], command: Callable[[str, int], Value]
             ) -> Value:
    """The value of an expression tree. ``lookup(name)`` gives an identifier's value (its name
    when it names nothing); ``command(source, offset)`` runs a command substitution."""
    kind, *args = node
    if kind in ("or", "and"):
        first = truthy(evaluate(args[0], lookup, command))
        if first == (kind == "or"):  # short-circuit, as RouterOS does
            return first
        return truthy(evaluate(args[1], lookup, command))
    if kind == "not":
        return not truthy(evaluate(args[0], lookup, command))
    if kind == "cmp":
        op, left, right = args
        return compare(op, evaluate(left, lookup, command), evaluate(right, lookup, command))
    if kind == "ident":
        return lookup(args[0])
    value: Value = command(args[0], args[1]) if kind == "cmd" else args[0]
    return value


def truthy(value: Value) -> bool:
    return value is True or value in ("yes", "true")


def compare(op: str, left: Value, right: Value) -> bool:
    """RouterOS comparisons, on the values as the simulator keeps them (strings mostly):
    numbers as numbers, anything else as text."""
    if op == "~":
        return re.search(to_text(right), to_text(left)) is not None
    a, b = _comparable(left), _comparable(right)
    if not (isinstance(a, int) and isinstance(b, int)):
        a, b = to_text(left), to_text(right)
    if op in ("=", "!="):
        return (a == b) == (op == "=")
    if isinstance(a, int) and isinstance(b, int):
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
    return False


def _comparable(value: Value) -> Value:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None if isinstance(value, bool) else value  # booleans compare as text


def to_text(value: Value) -> str:
    """A value as ``:put`` prints it (arrays joined with ``;``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def quote(value: str) -> str:
    """A value as export and print write it: bare when it can be, else quoted with RouterOS's
    escapes (non-ASCII bytes as ``\\XX``)."""
    if _PLAIN.fullmatch(value):
        return value
    out = []
    for byte in value.encode():
        ch = chr(byte)
        if ch in '"\\$?':
            out.append("\\" + ch)
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append(f"\\{byte:02X}")
    return '"' + "".join(out) + '"'
