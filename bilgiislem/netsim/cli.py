"""The vendor-neutral part of a CLI session: modes, configuration sections, negation, faults.

A vendor personality (``ios.py``, ``vrp.py``) subclasses :class:`CliSession` and supplies the
grammars (one per exec level and one per configuration mode), the prompts, the error texts and
the way the configuration prints. One ``CliSession`` is one login; the :class:`DeviceState` it
works on (running config, startup config) is shared by every session of the device.

Configuration lines go through the grammar of the current mode. As on the real devices, a line
whose first word the current mode does not know is tried in the enclosing modes (``vlan 20``
typed under ``interface Gi0/1`` leaves the interface and opens the VLAN), and the negation
(``no``/``undo``) of a line removes the lines (or whole sections) that start with it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from bilgiislem.netsim.config import Node
from bilgiislem.netsim.grammar import Grammar, Match, MatchError, Token, tokenize

if TYPE_CHECKING:
    from bilgiislem.netsim.state import DeviceState


# --- actions of configuration grammars -------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A statement stored in the current section; it replaces the line with the same first
    ``key`` words (``description``, ``switchport mode``), or only itself when ``key`` is None."""

    key: int | None = None


@dataclass(frozen=True)
class Section:
    """Opens (creating it if needed) a section and enters ``mode``; ``label`` formats the
    words of the line (and ``{parent}``, the enclosing label) into the prompt's mode name
    (IOS ``config-if``, VRP ``vlan{1}``); the default is ``mode``."""

    mode: str
    label: str = ""


@dataclass(frozen=True)
class Negate:
    """``no ...`` / ``undo ...``: the rest of the line is matched in the same mode."""


@dataclass(frozen=True)
class Exit:
    """One level up; from the top configuration level, back to exec."""


@dataclass(frozen=True)
class End:
    """Out of configuration mode."""


@dataclass(frozen=True)
class Exec:
    """An exec command from configuration mode: IOS ``do show ...`` (``skip=1`` drops the
    ``do``), VRP ``display ...`` and ``save`` (``skip=0``)."""

    skip: int = 1


@dataclass(frozen=True)
class Call:
    """A vendor handler ``fn(session, match) -> output``; ``undo`` handles its negation, else
    the negation removes the lines that start with the first ``key`` words (None: all)."""

    fn: Callable[[Any, Match], str]
    undo: Callable[[Any, Match], str] | None = None
    key: int | None = None


CONFIG_ACTIONS = (Line, Section, Negate, Call)  # what counts as an applied configuration line
Entry = tuple[str, Any]  # (pattern, action): a line of a grammar table


def free(*keywords: str) -> list[Entry]:
    """Commands kept as typed after their keyword, several of each allowed (``logging ...``)."""
    return [(f"{k} LINE", Line()) for k in keywords]


def keyed(key: int, *patterns: str) -> list[Entry]:
    """Commands of which a section holds one per value of their first ``key`` words."""
    return [(p, Line(key)) for p in patterns]


class CommandError(Exception):
    """A command that parses but the device refuses; the message is the vendor's error text."""


@dataclass
class Reply:
    output: str = ""
    close: bool = False  # end the session after the output
    drop: bool = False  # cut the connection at once (fault injection)


@dataclass(frozen=True)
class Level:
    """One open configuration section: its header, its mode (grammar) and prompt label."""

    header: str
    mode: str
    label: str


class CliSession:
    """One login session on a device. Subclasses fill in the vendor."""

    NEGATION: ClassVar[str]  # "no" / "undo"
    ROOT_MODE: ClassVar[str]  # the top configuration mode's grammar
    FILTERS: ClassVar[tuple[str, ...]]  # output filters after "|"
    # per mode, the commands whose negation is itself a configuration line ("no ip address")
    STORED_NEGATIONS: ClassVar[dict[str, frozenset[str]]] = {}
    # per mode, the defaults: typed, they leave no line, only take away their stored negation
    # ("no service pad") or the setting they replace ("logging trap warnings")
    DEFAULTS: ClassVar[dict[str, frozenset[str]]] = {}
    DEFAULT_MODEL: ClassVar[str]
    DEFAULT_PORTS: ClassVar[tuple[str, ...]]
    DEFAULT_SOFTWARE: ClassVar[str]
    SSH_VERSION: ClassVar[str]  # what the SSH server announces

    def __init__(self, state: DeviceState, *, privileged: bool = True, user: str = "") -> None:
        self.state = state
        self.privileged = privileged
        self.user = user  # who logged in (RouterOS shows it in the prompt)
        self.configuring = False
        self.path: list[Level] = []
        self.config_lines = 0  # applied in this session (for the drop fault)
        self.echo = True
        self._closing = False
        self._pending: Callable[[str], str] | None = None
        self._pending_prompt = ""
        self._pending_counts = False  # the answers complete a configuration line (a banner)

    # --- what the vendor supplies ------------------------------------------------------------

    @classmethod
    def build_grammars(cls, ports: Sequence[str]) -> dict[str, Grammar]:
        """The grammars by mode (``exec`` for exec mode) for a device with ``ports``."""
        raise NotImplementedError

    @classmethod
    def serial_for(cls, name: str) -> str:
        raise NotImplementedError

    def banner(self) -> str:
        raise NotImplementedError

    def mode_prompt(self) -> str:
        raise NotImplementedError

    def exec_grammar(self) -> Grammar:
        raise NotImplementedError

    def error(self, err: MatchError, line: str) -> str:
        raise NotImplementedError

    def render_config(self, *, private: bool = False) -> str:
        """The configuration as shown (after a header) as running; with ``private``, also the
        lines the device keeps but never shows (IOS SNMPv3 users), as it is saved."""
        raise NotImplementedError

    def account(self, username: str) -> tuple[str, bool] | None:
        """The local account ``username`` may log in with over SSH: its stored password (hash,
        cipher or plain) and whether it lands in privileged mode; None if there is none."""
        raise NotImplementedError

    def baseline(self) -> str:
        """The factory configuration, in the format ``render_config`` produces."""
        raise NotImplementedError

    def skip_when_loading(self, line: str) -> bool:
        """Lines of saved configuration that are decoration, not commands (``!``, ``end``)."""
        raise NotImplementedError

    def add_ports(self, ports: Sequence[str]) -> None:
        """Make sure the device's physical ports exist (a restart never loses a port)."""
        for port in ports:
            self.state.running.root.open_section(f"interface {port}")

    def refuse_removal(self, words: tuple[str, ...], line: str) -> None:
        """Raise MatchError or CommandError if removing ``words`` (typed as ``line``) is not
        allowed."""

    def leave_config(self) -> None:
        """Back to exec (IOS ``end``, VRP ``return``)."""
        self.path.clear()
        self.configuring = False
        self.state.dump_running()

    # --- what the terminal calls -------------------------------------------------------------

    def prompt(self) -> str:
        with self.state.lock:  # the host name may be changing in another session
            return self._pending_prompt if self._pending else self.mode_prompt()

    def handle(self, line: str) -> Reply:
        """Run one line typed at the prompt."""
        with self.state.lock:
            if self._pending is not None:
                answer, self._pending = self._pending, None
                counts, self._pending_counts = self._pending_counts, False
                self.echo = True
                try:
                    output = answer(line)
                except CommandError as e:
                    return Reply(str(e))
                if counts and self._pending is None and self._count_config_line():
                    return Reply(drop=True)
            elif not line.strip():
                output = ""
            elif self.configuring:
                return self._configure(line)
            else:
                output = self.run(line)
        return Reply(output, close=self._closing)

    def ctrl_z(self) -> Reply:
        with self.state.lock:
            self._pending = None
            self.echo = True
            if self.configuring:
                self.leave_config()
        return Reply()

    def ask(
        self, prompt: str, answer: Callable[[str], str], *, echo: bool = True, counts: bool = False
    ) -> None:
        """Make the next line typed an answer to ``prompt`` (confirmations, passwords, the
        lines of a banner). ``counts``: the answer completes a configuration line (for the drop
        fault), unless it asks for more."""
        self._pending, self._pending_prompt, self.echo = answer, prompt, echo
        self._pending_counts = counts

    def close(self) -> str:
        """End the session once the current command's output is written."""
        self._closing = True
        return ""

    # --- exec --------------------------------------------------------------------------------

    def run(self, line: str, start: int = 0) -> str:
        """Run the exec command ``line[start:]``, with an optional filter (``| include X``)."""
        command, filt = line[start:], None
        pipe = re.search(r"\s\|", command)
        try:
            if pipe:
                filt = self._parse_filter(line, start + pipe.end())
                command = command[: pipe.start()]
            try:
                m = self.exec_grammar().match(command)
            except MatchError as e:  # its offset is in the command, the caret's in the line
                raise dataclasses.replace(e, offset=e.offset + start) from None
        except MatchError as e:
            return self.error(e, line)
        output = m.action(self, m)
        return _apply_filter(output, *filt) if filt else output

    def _parse_filter(self, line: str, start: int) -> tuple[str, re.Pattern[str]]:
        tokens = [t for t in tokenize(line) if t.start >= start]
        if not tokens:
            raise MatchError("incomplete", len(line.rstrip()))
        typed = tokens[0].text.lower()
        found = [f for f in self.FILTERS if f.startswith(typed)]
        if len(found) != 1:
            raise MatchError("invalid" if not found else "ambiguous", tokens[0].start)
        if len(tokens) < 2:
            raise MatchError("incomplete", len(line.rstrip()))
        try:
            return found[0], re.compile(line[tokens[1].start :].strip())
        except re.error:
            raise MatchError("invalid", tokens[1].start) from None

    # --- configuration -----------------------------------------------------------------------

    def enter_config(self) -> None:
        self.configuring = True
        self.path.clear()

    def grammar_for(self, depth: int) -> Grammar:
        mode = self.path[depth - 1].mode if depth else self.ROOT_MODE
        return self.state.grammars[mode]

    def node(self) -> Node:
        """The section the session is in (re-created if another session removed it)."""
        node = self.state.running.root
        for level in self.path:
            node = node.open_section(level.header)
        return node

    def _configure(self, line: str) -> Reply:
        try:
            depth, m, negated = self._resolve(line, fallback=True)
            text = f"{self.NEGATION} {negated.text}" if negated else m.text
            counted = isinstance(m.action, CONFIG_ACTIONS)
            if counted and self.state.spec.faults.rejects(line.strip(), text):
                raise MatchError("invalid", tokenize(line)[0].start)
            if negated is not None:
                self.refuse_removal(_removal(negated), line)
            output = self._apply(line, depth, m, negated)
        except MatchError as e:
            return Reply(self.error(e, line))
        except CommandError as e:
            return Reply(str(e))
        if counted and self._pending is None and self._count_config_line():
            return Reply(drop=True)
        return Reply(output, close=self._closing)

    def _count_config_line(self) -> bool:
        """Count one applied configuration line; True when the drop fault cuts here."""
        self.config_lines += 1
        limit = self.state.spec.faults.drop_after_config_lines
        return bool(limit and self.config_lines >= limit)

    def _resolve(self, line: str, *, fallback: bool) -> tuple[int, Match, Match | None]:
        """Find the mode that takes ``line``: the current one or, with ``fallback``, an
        enclosing one when the current mode does not know the command's first word."""
        first_error: MatchError | None = None  # the error to report if no mode takes it
        tokens = tokenize(line)
        negating = self.NEGATION.startswith(tokens[0].text.lower()) if tokens else False
        for depth in range(len(self.path), -1, -1):
            grammar = self.grammar_for(depth)
            try:
                m = grammar.match(line)
                negated = None
                if isinstance(m.action, Negate):
                    negated = self._match_negated(grammar, line, tokens)
                return depth, m, negated
            except MatchError as e:
                if first_error is None or e.index > first_error.index:
                    first_error = e  # the mode that got furthest explains best what is wrong
                unknown_word = e.kind == "invalid" and (e.index == 0 or (negating and e.index == 1))
                if not (fallback and unknown_word):
                    break
        assert first_error is not None
        raise first_error

    @staticmethod
    def _match_negated(grammar: Grammar, line: str, tokens: list[Token]) -> Match:
        start = tokens[1].start
        try:
            negated = grammar.match(line[start:], partial=True)
        except MatchError as e:
            raise dataclasses.replace(e, offset=e.offset + start, index=e.index + 1) from None
        if negated.action is not None and not isinstance(negated.action, CONFIG_ACTIONS):
            raise MatchError("invalid", start, 1)
        return negated

    def _apply(self, line: str, depth: int, m: Match, negated: Match | None) -> str:
        action = m.action
        del self.path[depth:]
        output = ""
        if isinstance(action, Exit) and self.path:
            self.path.pop()
        elif isinstance(action, Exit | End):
            self.leave_config()
        elif isinstance(action, Exec):
            output = self.run(line, tokenize(line)[action.skip].start)
        elif isinstance(action, Section):
            self.node().open_section(m.text)
            parent = self.path[-1].label if self.path else ""
            label = (action.label or action.mode).format(*m.words, parent=parent)
            self.path.append(Level(m.text, action.mode, label))
        elif isinstance(action, Call):
            output = action.fn(self, m)
        elif isinstance(action, Negate):
            assert negated is not None
            output = self._negate(negated)
        else:
            self.set_line(self.node(), m.text, action.key)
        return output

    def set_line(self, node: Node, text: str, key: int | None = None) -> None:
        """Store a line; it also replaces a stored negation it overrides (``no ip address``).
        A default of the mode is not stored, only replaces: no line shows it."""
        words = text.split()
        for child in node.starting_with([self.NEGATION]):
            if words[: len(child.words) - 1] == child.words[1:]:
                node.remove(child.words)
        mode = self.path[-1].mode if self.path else self.ROOT_MODE
        if text not in self.DEFAULTS.get(mode, frozenset()):
            node.set_line(text, key)
        elif key:
            node.remove(words[:key])

    def take_text(self, head: str, delimiter: str, rest: str, key: int) -> bool:
        """A top-level line whose text runs from ``delimiter`` to its next occurrence, over
        several lines if needed (banners): kept as one line with its line breaks, replacing the
        one with the same first ``key`` words. True if it waits for more lines."""
        root = self.state.running.root
        if delimiter in rest:
            text = rest.partition(delimiter)[0]
            self.set_line(root, f"{head} {delimiter}{text}{delimiter}", key)
            return False
        lines = [f"{head} {delimiter}{rest}"]

        def take(line: str) -> str:
            if delimiter in line:
                lines.append(line.partition(delimiter)[0] + delimiter)
                self.set_line(root, "\n".join(lines), key)
            else:
                lines.append(line)
                self.ask("", take, counts=True)
            return ""

        self.ask("", take, counts=True)
        return True

    def _negate(self, negated: Match) -> str:
        action = negated.action
        if isinstance(action, Call) and action.undo is not None:
            return action.undo(self, negated)
        words = _removal(negated)
        node = self.node()
        node.remove(words)
        mode = self.path[-1].mode if self.path else self.ROOT_MODE
        text = " ".join(words)
        if text in self.STORED_NEGATIONS.get(mode, frozenset()):
            node.set_line(f"{self.NEGATION} {text}")
        return ""

    def load(self, text: str) -> None:
        """Apply saved configuration (indented like ``show running-config``) to running."""
        self.enter_config()
        for number, raw in enumerate(text.splitlines(), 1):
            if self._pending is not None:  # the next line of a banner
                self.handle(raw)
                continue
            if not raw.strip() or self.skip_when_loading(raw):
                continue
            depth = len(raw) - len(raw.lstrip(" "))
            if depth > len(self.path):
                raise ValueError(f"line {number}: unexpected indentation: {raw!r}")
            del self.path[depth:]
            try:
                self._apply(raw.strip(), *self._resolve(raw.strip(), fallback=False))
            except (MatchError, CommandError) as e:
                raise ValueError(f"line {number}: not accepted by the device: {raw!r}") from e
            self.configuring = True  # a stray "end" or "exit" must not stop the load
        if self._pending is not None:
            raise ValueError("the configuration ends inside a banner")
        self.path.clear()
        self.configuring = False


def _removal(negated: Match) -> tuple[str, ...]:
    """The first words of the lines a negation removes: those of the command's key if it has
    one (``no description``, ``no switchport access vlan 10``), else all that were typed."""
    key = getattr(negated.action, "key", None)
    words = negated.words[:key] if key else negated.words
    return tuple(" ".join(words).split())  # a LINE parameter's words one by one


def _apply_filter(output: str, kind: str, regex: re.Pattern[str]) -> str:
    lines = output.splitlines()
    if kind == "include":
        kept = [line for line in lines if regex.search(line)]
    elif kind == "exclude":
        kept = [line for line in lines if not regex.search(line)]
    elif kind == "begin":
        start = next((i for i, line in enumerate(lines) if regex.search(line)), len(lines))
        kept = lines[start:]
    else:  # section: matching top-level lines with the lines indented under them
        kept, inside = [], False
        for line in lines:
            if not line.startswith(" "):
                inside = bool(regex.search(line))
            if inside:
                kept.append(line)
    return "".join(f"{line}\n" for line in kept)
