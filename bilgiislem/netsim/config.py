"""The configuration tree both vendor personalities keep their running config in.

A node is a configuration line; a section (``interface GigabitEthernet0/1``, ``vlan 10``) is a
node whose children are the lines indented under it. Children keep the order they were entered
in; the vendor decides at display time how to sort them (see ``render``). Lines are stored in
canonical form (keywords spelled out), so comparing words is enough to find a line again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

OrderKey = Callable[["Node", "Node"], Any]  # (parent, child) -> sort key


@dataclass
class Node:
    text: str
    section: bool = False
    children: list[Node] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def child(self, text: str) -> Node | None:
        return next((c for c in self.children if c.text == text), None)

    def starting_with(self, words: Sequence[str]) -> list[Node]:
        """The children whose first words are ``words``."""
        n = len(words)
        return [c for c in self.children if c.words[:n] == list(words)]

    def value(self, *words: str) -> str | None:
        """What follows ``words`` on the first line that starts with them (``hostname`` → name)."""
        found = self.starting_with(words)
        return " ".join(found[0].words[len(words) :]) if found else None

    def open_section(self, header: str) -> Node:
        """The section ``header``, created at the end if it does not exist yet."""
        node = self.child(header)
        if node is None:
            node = Node(header, section=True)
            self.children.append(node)
        node.section = True
        return node

    def set_line(self, text: str, key: int | None = None) -> bool:
        """Store a line; it replaces the line with the same first ``key`` words (None: itself).

        Returns whether anything changed: sending a line that is already there is a no-op.
        """
        words = text.split()
        same = words[:key] if key else words
        for i, c in enumerate(self.children):
            if not c.section and c.words[: len(same)] == same and (key or c.words == words):
                if c.text == text:
                    return False
                self.children[i] = Node(text)
                return True
        self.children.append(Node(text))
        return True

    def remove(self, words: Sequence[str]) -> list[Node]:
        """Remove (and return) the children, sections included, that start with ``words``."""
        gone = self.starting_with(words)
        self.children = [c for c in self.children if all(c is not g for g in gone)]
        return gone


class ConfigTree:
    def __init__(self) -> None:
        self.root = Node("", section=True)

    def node(self, path: Sequence[str]) -> Node:
        """The section at ``path`` (a list of section headers from the top)."""
        node = self.root
        for header in path:
            found = node.child(header)
            if found is None:
                raise KeyError(path)
            node = found
        return node

    def sections(self, *words: str) -> list[Node]:
        """The top-level sections whose header starts with ``words``."""
        return [n for n in self.root.starting_with(words) if n.section]


def render(node: Node, order: OrderKey, depth: int = 0, indent: str = " ") -> list[str]:
    """The lines under ``node``, sorted by ``order`` and indented one ``indent`` per level."""
    out: list[str] = []
    for child in sorted(node.children, key=lambda c: order(node, c)):
        out.append(indent * depth + child.text)
        out.extend(render(child, order, depth + 1, indent))
    return out


def blocks(nodes: Sequence[Node], order: OrderKey, *, separator: str, together: str,
           top_order: Sequence[Sequence[str]], negation: str) -> list[str]:
    """Top-level nodes as a vendor prints them: each section its own block (the ``together``
    sections in one), runs of single lines of the same group in one, ``separator`` between."""
    lines: list[str] = []
    previous: object = None
    for child in nodes:
        if child.words[0] == together:
            group: object = together
        else:
            group = child.text if child.section else rank(top_order, child.words, negation)[0]
        if group != previous:
            lines.append(separator)
        previous = group
        lines.append(child.text)
        lines.extend(render(child, order, 1))
    return lines


def rank(groups: Sequence[Sequence[str]], words: Sequence[str], negation: str) -> tuple[int, int]:
    """Where a line goes in a vendor's print order: the group (printed as one block) and the
    position of the longest entry of ``groups`` the line starts with; unknown lines go last.
    A negated line goes where the line itself would."""
    entries = [(g, entry) for g, group in enumerate(groups) for entry in group]
    names = [entry for _, entry in entries]
    for candidate in (words, words[1:] if words[:1] == [negation] else None):
        for n in range(len(candidate or ()), 0, -1):
            prefix = " ".join(candidate[:n])
            if prefix in names:
                position = names.index(prefix)
                return entries[position][0], position
    return len(groups), len(names)
