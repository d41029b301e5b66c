"""The MikroTik RouterOS 7 personality (Netmiko ``mikrotik_routeros``): menus of items, scripts.

RouterOS has no configuration mode and no configuration text: it keeps items in menus
(``/ip route``, ``/interface wireguard peers``), changed with ``add``, ``set`` and ``remove``,
each change saved at once. What a configuration tool sees, and what the simulator does:

- **Login.** Netmiko logs in as ``user+ct511w4098h`` (terminal options after the ``+``); the
  account is ``user``, checked against ``/user`` (the definition's ``username``/``password``,
  group full). The prompt is ``[user@identity] > ``, ``[user@identity] /ip/route> `` inside a
  menu (``/ip route`` alone on a line enters it, ``/`` and ``..`` leave it).
- **Menus.** ``/interface wireguard`` (a private key is made when ``add`` gives none, the
  public key is derived from it), ``/interface wireguard peers``, ``/ip address`` (``network``
  filled in), ``/ip route``, ``/ip firewall filter`` (``place-before=``), ``/ip firewall
  address-list`` (a ``/32`` is kept as the bare address), ``/system identity``, ``/user``, and
  the device's ports as ``/interface ethernet`` (fixed). Commands: ``add``, ``set``,
  ``remove``, ``find``, ``get``, ``print [detail] [where ...]`` and ``export``; menus and
  commands may be abbreviated, paths written ``/ip route`` or ``/ip/route``. References are
  checked (``interface=`` must name an interface) and so are duplicates.
- **Script.** ``:if (...) do={...} else={...}``, ``:put``, ``:len``, ``:pick``, command
  substitution ``[...]``, ``where`` clauses, ``#`` comments (see ``ros_script.py``).
- **Export.** ``/export`` prints the header (date, software id, model, serial) and every
  menu's items as ``add`` lines, properties sorted, defaults left out, long lines folded with
  ``\\`` at 80 columns; ``terse`` prints one line per item with its menu; the WireGuard private
  keys are left out unless ``show-sensitive`` (RouterOS 7; ``hide-sensitive``, RouterOS 6's
  flag, is taken and changes nothing). Users are never exported.
- **Errors** are RouterOS's texts (``bad command name``, ``syntax error (line 1 column N)``,
  ``expected end of command``, ``input does not match any value of interface``, ``no such
  item``, ``failure: already have such entry``); the statements before the failing one stay
  done, as on the router.

Faults: ``drop_after_config_lines`` counts lines that changed something; a line matching a
``reject`` pattern gets a syntax error and is not run.

The saved state (``startup-config``) is the terse export with the private keys, plus the
users with their passwords hashed: a script the device runs again when it starts.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, cast

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from bilgiislem.netsim.cli import CliSession, Reply
from bilgiislem.netsim.config import Node
from bilgiislem.netsim.grammar import Grammar
from bilgiislem.netsim.passwords import derived_salt, ios_type9, is_hashed
from bilgiislem.netsim.ros_script import (
    ScriptError,
    Value,
    Word,
    evaluate,
    parse_expression,
    quote,
    statements,
    syntax_error,
    to_text,
    truthy,
)

if TYPE_CHECKING:
    from bilgiislem.netsim.state import DeviceState

EXPORT_WIDTH = 80  # export folds longer lines with " \"
WIREGUARD_PORT = 13231  # RouterOS's listen port for a WireGuard interface added without one
_ACTIONS = ("accept", "drop", "reject", "jump", "return", "passthrough", "log",
            "fasttrack-connection", "tarpit", "add-src-to-address-list",
            "add-dst-to-address-list")
_PROTOCOLS = ("tcp", "udp", "icmp", "gre", "ospf", "ipsec-esp", "ipsec-ah", "igmp", "vrrp")
_STATES = ("new", "established", "related", "invalid", "untracked")
_DURATION = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?")


@dataclass
class Item(Node):
    """One item of a menu; ``text`` is its id (``*1``), as ``find`` returns it."""

    props: dict[str, str] = field(default_factory=dict)


# --- the menus --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prop:
    """A property of a menu's items. ``kind`` says what values it takes (see
    ``RosSession.normalise``); ``default`` is what it is when not set (export leaves it out);
    ``initial`` is stored by ``add`` when not given (export shows it)."""

    name: str
    kind: str = "text"
    default: str = ""
    initial: str | Callable[[RosSession, dict[str, str]], str] | None = None
    required: bool = False
    sensitive: bool = False  # export shows it only with show-sensitive
    hidden: bool = False  # never shown (user passwords)
    computed: bool = False  # the router's own (public-key): shown, never set or exported


def _new_private_key(session: RosSession, props: dict[str, str]) -> str:
    return base64.b64encode(os.urandom(32)).decode()


def _network(session: RosSession, props: dict[str, str]) -> str:
    return str(ipaddress.IPv4Interface(props["address"]).network.network_address)


_COMMON = (Prop("comment"), Prop("disabled", "bool", "no"))


@dataclass(frozen=True)
class Table:
    path: str  # "/ip route"
    props: tuple[Prop, ...]
    unique: tuple[str, ...] = ()  # properties that no two items may share all of
    duplicate_error: str = "failure: already have such entry"
    name_key: str | None = None  # items can be named by this property in set/remove/get
    singleton: bool = False  # one item, set and print only (/system identity)
    fixed: bool = False  # the device's own items (ports): no add or remove, not exported
    exported: bool = True

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)


TABLES: tuple[Table, ...] = (
    Table("/interface ethernet", (Prop("name"), Prop("default-name", computed=True),
                                  *_COMMON), name_key="name", fixed=True),
    Table("/interface wireguard", (
        Prop("name", required=True), Prop("mtu", "int:68-65535", "1420"),
        Prop("listen-port", "int:1-65535", initial=str(WIREGUARD_PORT)),
        Prop("private-key", "wgkey", initial=_new_private_key, sensitive=True),
        Prop("public-key", computed=True), *_COMMON),
        unique=("name",), duplicate_error="failure: already have interface with such name",
        name_key="name"),
    Table("/interface wireguard peers", (
        Prop("interface", "wg-interface", required=True),
        Prop("public-key", "wgkey", required=True),
        Prop("endpoint-address", "host"), Prop("endpoint-port", "int:0-65535", "0"),
        Prop("allowed-address", "prefixes"), Prop("preshared-key", "wgkey", sensitive=True),
        Prop("persistent-keepalive", "duration", "0s"), *_COMMON),
        unique=("interface", "public-key"),
        duplicate_error="failure: peer with the same public key already exists"),
    Table("/ip address", (
        Prop("address", "address", required=True), Prop("network", "ip", initial=_network),
        Prop("interface", "interface", required=True), *_COMMON)),
    Table("/ip firewall address-list", (
        Prop("list", required=True), Prop("address", "list-address", required=True),
        *_COMMON), unique=("list", "address")),
    Table("/ip firewall filter", (
        Prop("chain", required=True), Prop("action", "action", initial="accept"),
        Prop("src-address", "address-match"), Prop("dst-address", "address-match"),
        Prop("src-address-list", "negatable"), Prop("dst-address-list", "negatable"),
        Prop("protocol", "protocol"), Prop("src-port", "ports"), Prop("dst-port", "ports"),
        Prop("in-interface", "interface-match"), Prop("out-interface", "interface-match"),
        Prop("connection-state", "states"), Prop("jump-target"),
        Prop("log", "bool", "no"), Prop("log-prefix"), *_COMMON)),
    Table("/ip route", (
        Prop("dst-address", "prefix", initial="0.0.0.0/0"),
        Prop("gateway", "gateway", required=True), Prop("distance", "int:1-255", "1"),
        Prop("routing-table", "text", "main"), *_COMMON)),
    Table("/system identity", (Prop("name", default="MikroTik"),), singleton=True),
    Table("/user", (Prop("name", required=True), Prop("group", "group", required=True),
                    Prop("password", "password", hidden=True), *_COMMON),
          unique=("name",), duplicate_error="failure: user with the same name already exists",
          name_key="name", exported=False),
)


@dataclass
class Menu:
    """A node of the menu tree; ``table`` when it holds items."""

    name: str
    parent: Menu | None = None
    children: dict[str, Menu] = field(default_factory=dict)
    table: Table | None = None

    @property
    def words(self) -> list[str]:
        return [*(self.parent.words if self.parent else []), *([self.name] if self.name else [])]

    @property
    def path(self) -> str:
        """As the prompt writes it: ``/ip/route`` (RouterOS 7)."""
        return "/" + "/".join(self.words) if self.words else ""

    def commands(self) -> tuple[str, ...]:
        if self.table is None:
            return ("export",)
        if self.table.singleton:
            return ("set", "print", "export", "get")
        if self.table.fixed:
            return ("print", "find", "get")
        return ("add", "set", "remove", "print", "export", "find", "get")

    def tables(self) -> list[Table]:
        """The menu's table and those of the menus under it, in export order."""
        own = [self.table] if self.table else []
        return own + [t for child in self.children.values() for t in child.tables()]


def _menu_tree() -> Menu:
    root = Menu("")
    for table in TABLES:
        node = root
        for word in table.path.split()[0].strip("/").split("/") + table.path.split()[1:]:
            node = node.children.setdefault(word, Menu(word, node))
        node.table = table
    return root


ROOT = _menu_tree()


def _pick(typed: str, options: Sequence[str]) -> str | None:
    """RouterOS abbreviations: the option ``typed`` is, or the one it uniquely begins."""
    if typed in options:
        return typed
    found = [o for o in options if o.startswith(typed)]
    return found[0] if len(found) == 1 else None


# --- values -----------------------------------------------------------------------------------


def _duration(value: str) -> str:
    """``25``, ``25s``, ``1m30s``, ``00:01:30`` → RouterOS's ``25s``, ``1m30s``."""
    if re.fullmatch(r"\d+:\d\d:\d\d", value):
        h, m, s = (int(x) for x in value.split(":"))
        seconds = h * 3600 + m * 60 + s
    else:
        m_ = _DURATION.fullmatch(value)
        if not value or m_ is None:
            raise ValueError(value)
        w, d, h, m, s = (int(x or 0) for x in m_.groups())
        seconds = (((w * 7 + d) * 24 + h) * 60 + m) * 60 + s
    parts = []
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


def _negatable(value: str, check: Callable[[str], str]) -> str:
    bang = value.startswith("!")
    return ("!" if bang else "") + check(value[1:] if bang else value)


def _prefix(value: str) -> str:
    return str(ipaddress.IPv4Network(value, strict=False))


def _list_address(value: str) -> str:
    """An address-list entry: an address, a prefix (a /32 shown bare), a range, or a name."""
    if "-" in value and re.fullmatch(r"[\d.]+-[\d.]+", value):
        low, high = (ipaddress.IPv4Address(x) for x in value.split("-"))
        return f"{low}-{high}"
    if re.fullmatch(r"[\d./]+", value):
        net = ipaddress.IPv4Network(value, strict=False)
        return str(net.network_address) if net.prefixlen == 32 else str(net)
    if not re.fullmatch(r"[A-Za-z0-9.-]+", value):
        raise ValueError(value)
    return value


def _wg_key(value: str) -> str:
    if len(base64.b64decode(value, validate=True)) != 32:
        raise ValueError(value)
    return value


def public_key(private_key: str) -> str:
    """The WireGuard public key of a private key (base64 both), as the router derives it."""
    key = X25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _ports(value: str) -> str:
    for part in value.split(","):
        if not re.fullmatch(r"\d+(?:-\d+)?", part) or not all(
                0 <= int(p) <= 65535 for p in part.split("-")):
            raise ValueError(value)
    return value


def _protocol(value: str) -> str:
    if value in _PROTOCOLS or (value.isdigit() and int(value) <= 255):
        return value
    raise ValueError(value)


def _states(value: str) -> str:
    states = value.split(",")
    if not all(s in _STATES for s in states):
        raise ValueError(value)
    return ",".join(states)


def _int(kind: str, value: str) -> str:
    low, high = (int(x) for x in kind.split(":")[1].split("-"))
    if not value.isdigit() or not low <= int(value) <= high:
        raise ValueError(value)
    return str(int(value))


# --- the session ------------------------------------------------------------------------------


class RosSession(CliSession):
    DEFAULT_MODEL = "RB5009UG+S+"
    DEFAULT_PORTS = ("ether1-8",)
    DEFAULT_SOFTWARE = "7.14.3"
    SSH_VERSION = "SSH-2.0-ROSSSH"

    def __init__(self, state: DeviceState, *, privileged: bool = True, user: str = "") -> None:
        super().__init__(state, privileged=privileged, user=user.partition("+")[0])
        self.menu = ROOT
        self.numbers: dict[str, list[str]] = {}  # table path -> ids, as the last print numbered

    @classmethod
    def build_grammars(cls, ports: Sequence[str]) -> dict[str, Grammar]:
        return {}  # RouterOS's script is parsed by ros_script, not by command grammars

    @classmethod
    def serial_for(cls, name: str) -> str:
        return "HF" + hashlib.sha256(name.encode()).hexdigest()[:9].upper()

    def banner(self) -> str:
        year = dt.date.today().year
        return (f"\n\n\n  MikroTik RouterOS {self.state.software} (c) 1999-{year}"
                "       https://www.mikrotik.com/\n\nPress F1 for help\n\n")

    def mode_prompt(self) -> str:
        return f"[{self.user}@{self.identity()}] {self.menu.path}> "

    def identity(self) -> str:
        table = self.table("/system identity")
        return self.value(table, self.singleton(table), "name")

    # --- the database --------------------------------------------------------------------------

    @staticmethod
    def table(path: str) -> Table:
        return next(t for t in TABLES if t.path == path)

    def items(self, table: Table) -> list[Item]:
        """The table's items, in order: the children of its section of the running tree."""
        section = self.state.running.root.open_section(table.path)
        return cast(list[Item], section.children)  # only Items are put there

    def singleton(self, table: Table) -> Item:
        items = self.items(table)
        if not items:
            items.append(Item(self.new_id()))
        return items[0]

    def interfaces(self) -> list[str]:
        return [self.value(t, i, "name") for t in TABLES if t.path.startswith("/interface")
                and t.prop("name") for i in self.items(t)]

    def value(self, table: Table, item: Item, name: str) -> str:
        """A property's value: stored, computed by the router, or its default."""
        if name == "public-key" and table.path == "/interface wireguard":
            return public_key(item.props["private-key"])
        prop = table.prop(name)
        return item.props.get(name, prop.default if prop else "")

    def new_id(self) -> str:
        used = [int(i.text[1:], 16) for t in TABLES for i in self.items(t)]
        return f"*{max(used, default=0) + 1:X}"

    def normalise(self, table: Table, name: str, value: str) -> str:
        """``value`` as the router keeps it; ScriptError when the property does not take it."""
        prop = table.prop(name)
        if prop is None or prop.computed:
            raise ScriptError(f"expected end of command (unknown argument {name})")
        kind = prop.kind
        interfaces = self.interfaces()
        checks: dict[str, Callable[[str], str]] = {
            "text": lambda v: v,
            "bool": lambda v: {"yes": "yes", "true": "yes", "no": "no", "false": "no"}[v],
            "duration": _duration,
            "prefix": _prefix,
            "prefixes": lambda v: ",".join(_prefix(p) for p in v.split(",")) if v else "",
            "address": lambda v: str(ipaddress.IPv4Interface(v)),
            "ip": lambda v: str(ipaddress.IPv4Address(v)),
            "host": lambda v: v if re.fullmatch(r"[A-Za-z0-9.:-]+", v) else _fail(v),
            "list-address": _list_address,
            "address-match": lambda v: _negatable(v, _list_address),
            "negatable": lambda v: _negatable(v, lambda x: x or _fail(x)),
            "interface-match": lambda v: _negatable(v, lambda x: self._interface(x, interfaces)),
            "interface": lambda v: self._interface(v, interfaces),
            "wg-interface": lambda v: self._interface(v, [
                self.value(self.table("/interface wireguard"), i, "name")
                for i in self.items(self.table("/interface wireguard"))]),
            "gateway": lambda v: v if v in interfaces else str(ipaddress.IPv4Address(v)),
            "wgkey": _wg_key,
            "ports": lambda v: _negatable(v, _ports),
            "protocol": lambda v: _negatable(v, _protocol),
            "states": lambda v: _negatable(v, _states),
            "action": lambda v: v if v in _ACTIONS else _fail(v),
            "group": lambda v: v if v in ("full", "read", "write") else _fail(v),
            "password": lambda v: v if is_hashed(v) else ios_type9(v),
        }
        try:
            if kind.startswith("int:"):
                return _int(kind, value)
            return checks[kind](value)
        except ScriptError:
            raise
        except (ValueError, KeyError):
            raise ScriptError(f"invalid value for argument {name}") from None

    @staticmethod
    def _interface(name: str, interfaces: list[str]) -> str:
        if name not in interfaces:
            raise ScriptError("input does not match any value of interface")
        return name

    def check_unique(self, table: Table, item: Item) -> None:
        if not table.unique:
            return
        key = [self.value(table, item, p) for p in table.unique]
        for other in self.items(table):
            if other is not item and [self.value(table, other, p) for p in table.unique] == key:
                raise ScriptError(table.duplicate_error)

    def refs(self, table: Table, value: Value) -> list[Item]:
        """The items a reference names: ids (``find``'s), print numbers, or names."""
        items = self.items(table)
        by_id = {i.text: i for i in items}
        names = value if isinstance(value, list) else re.split(r"[,;]", to_text(value))
        out = []
        for ref in [n for n in names if n]:
            numbers = self.numbers.get(table.path, [])
            if ref in by_id:
                out.append(by_id[ref])
            elif ref.isdigit() and int(ref) < len(numbers) and numbers[int(ref)] in by_id:
                out.append(by_id[numbers[int(ref)]])
            elif table.name_key and any(
                    self.value(table, i, table.name_key) == ref for i in items):
                out += [i for i in items if self.value(table, i, table.name_key) == ref]
            else:
                raise ScriptError("no such item")
        return out

    # --- what the terminal calls ---------------------------------------------------------------

    def handle(self, line: str) -> Reply:
        """Run one line: statements in order, the changes saved at once (RouterOS has no
        ``write memory``)."""
        with self.state.lock:
            text = line.strip()
            if not text or text.startswith("#"):
                return Reply()
            if self.state.spec.faults.rejects(text):
                return Reply(str(syntax_error(len(line) - len(line.lstrip()))) + "\n")
            run = _Run(self, line)
            try:
                self.menu = run.block(0, len(line), self.menu, top=True)
                failed = False
            except ScriptError as e:
                run.out.append(str(e))
                failed = True
            if run.changed:
                self.state.save()
                if not failed and self._count_config_line():
                    return Reply(drop=True)
        return Reply("".join(f"{x}\n" for x in run.out), close=self._closing)

    # --- configuration text --------------------------------------------------------------------

    def export(self, tables: Sequence[Table], *, terse: bool, sensitive: bool,
               header: bool = True) -> str:
        lines = []
        if header:
            digest = hashlib.sha256(self.state.serial.encode()).hexdigest().upper()
            now = dt.datetime.now().replace(microsecond=0)
            lines += [f"# {now:%Y-%m-%d %H:%M:%S} by RouterOS {self.state.software}",
                      f"# software id = {digest[:4]}-{digest[4:8]}", "#",
                      f"# model = {self.state.model}", f"# serial number = {self.state.serial}"]
        for table in tables:
            commands = self._export_commands(table, sensitive=sensitive, users=False)
            if not commands:
                continue
            if terse:
                lines += [f"{table.path} {c}" for c in commands]
            else:
                lines.append(table.path)
                lines += [folded for c in commands for folded in _fold(c)]
        return "".join(f"{x}\n" for x in lines)

    def _export_commands(self, table: Table, *, sensitive: bool, users: bool) -> list[str]:
        if table.fixed or (not table.exported and not users):
            return []
        out = []
        for item in self.items(table):
            shown = {name: v for name, v in sorted(item.props.items())
                     if (p := table.prop(name)) is not None and v != p.default
                     and (sensitive or not p.sensitive) and (users or not p.hidden)}
            if table.singleton and not shown:
                continue
            words = ["set" if table.singleton else "add",
                     *(f"{k}={quote(v)}" for k, v in shown.items())]
            out.append(" ".join(words))
        return out

    def render_config(self, *, private: bool = False) -> str:
        """The terse export with the private keys (no header); ``private`` adds the users
        with their hashed passwords: the state as saved, a script :meth:`load` runs."""
        text = self.export([t for t in TABLES if t.exported], terse=True, sensitive=True,
                           header=False)
        if private:
            users = self.table("/user")
            text += "".join(f"{users.path} {c}\n" for c in self._export_commands(
                users, sensitive=True, users=True))
        return text

    def account(self, username: str) -> tuple[str, bool] | None:
        users = self.table("/user")
        name = username.partition("+")[0]
        for item in self.items(users):
            if self.value(users, item, "name") == name and self.value(
                    users, item, "disabled") == "no":
                return self.value(users, item, "password"), True
        return None

    def baseline(self) -> str:
        spec = self.state.spec
        password = ios_type9(spec.password, derived_salt(f"{spec.username}\n{spec.password}", 14))
        return (f"/system identity set name={quote(spec.hostname or spec.name)}\n"
                f"/user add group=full name={quote(spec.username)} password={quote(password)}\n")

    def add_ports(self, ports: Sequence[str]) -> None:
        table = self.table("/interface ethernet")
        items = self.items(table)
        known = {i.props["default-name"] for i in items}
        for port in ports:
            if port not in known:
                items.append(Item(self.new_id(), props={"name": port, "default-name": port}))

    def load(self, text: str) -> None:
        """Run a saved state (see :meth:`render_config`) on an empty configuration."""
        self.add_ports(self.state.ports)
        for number, raw in enumerate(text.splitlines(), 1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            try:
                _Run(self, raw).block(0, len(raw), ROOT, top=True)
            except ScriptError as e:
                raise ValueError(f"line {number}: not accepted by the device: {raw!r} ({e})"
                                 ) from None


def _fail(value: str) -> str:
    raise ValueError(value)


def _fold(command: str) -> list[str]:
    """A long export line folded as RouterOS folds it: at blanks with `` \\`` at the end, or
    after the ``=`` of a value that does not fit (``public-key=\\``); the next part indented
    by four."""
    lines: list[str] = []
    current = ""
    for word in command.split(" "):
        candidate = f"{current} {word}" if current else word
        if not current or len(candidate) + 2 <= EXPORT_WIDTH:
            current = candidate
            continue
        key, eq, value = word.partition("=")
        if eq and len(f"{current} {key}=") + 1 <= EXPORT_WIDTH:
            lines.append(f"{current} {key}=\\")
            current = "    " + value
        else:
            lines.append(current + " \\")
            current = "    " + word
    return [*lines, current]


# --- running a line ---------------------------------------------------------------------------


class _Run:
    """One line being run: its output and whether it changed the configuration."""

    COMMANDS: ClassVar[tuple[str, ...]] = (":if", ":put", ":len", ":pick")

    def __init__(self, session: RosSession, line: str) -> None:
        self.s = session
        self.line = line
        self.out: list[str] = []
        self.changed = False

    def block(self, start: int, end: int, menu: Menu, *, top: bool = False) -> Menu:
        """Run the statements of ``line[start:end]`` in ``menu``; a statement that is only a
        menu path moves the following ones (and, at the top, the session) into it."""
        for words in statements(self.line, start, end):
            menu = self.statement(words, menu, top=top)[1]
        return menu

    def substitute(self, start: int, end: int, menu: Menu) -> Value:
        """``[...]``: the value of its last statement."""
        value: Value = None
        for words in statements(self.line, start, end):
            value, menu = self.statement(words, menu, top=False)
        return value

    def statement(self, words: list[Word], menu: Menu, *, top: bool) -> tuple[Value, Menu]:
        first = words[0].bare
        if first is not None and first.startswith(":"):
            return self.builtin(words, menu), menu
        if first in ("quit", "/quit"):
            self.s.close()
            return None, menu
        node, command, rest = self.resolve(words, menu)
        if command is None:  # a menu path alone: the statements after it run there
            return None, node
        return self.command(node, command, rest), menu

    @staticmethod
    def resolve(words: list[Word], menu: Menu) -> tuple[Menu, str | None, list[Word]]:
        """The menu and command a statement names: ``/ip route add``, ``/ip/route/add``,
        ``add`` in the current menu, ``..``; the words after the command."""
        node = menu
        for i, word in enumerate(words):
            bare = word.bare
            if bare is None or "=" in bare:
                raise ScriptError(f"expected command name (line 1 column {word.start + 1})")
            if i == 0 and bare.startswith("/"):
                node = ROOT
            offset = word.start
            parts = bare.split("/")
            for n, part in enumerate(parts):
                if part == "..":
                    node = node.parent or ROOT
                elif part and (child := _pick(part, list(node.children))) is not None:
                    node = node.children[child]
                elif part:
                    command = _pick(part, node.commands())
                    if command is None or n != len(parts) - 1:
                        raise ScriptError(f"bad command name {part} (line 1 column "
                                          f"{offset + 1})")
                    return node, command, words[i + 1 :]
                offset += len(part) + 1
        return node, None, []

    # --- values ----------------------------------------------------------------------------

    def value(self, word: Word, menu: Menu) -> Value:
        values = [self.piece(p.kind, p.text, p.start, menu) for p in word.pieces]
        return values[0] if len(values) == 1 else "".join(to_text(v) for v in values)

    def piece(self, kind: str, text: str, start: int, menu: Menu) -> Value:
        if kind in ("bare", "str"):
            return text
        if kind == "cmd":
            return self.substitute(start, start + len(text), menu)
        if kind == "expr":
            return self.expression(start, start + len(text), menu)
        raise syntax_error(start)  # a block where a value is wanted

    def expression(self, start: int, end: int, menu: Menu,
                   lookup: Callable[[str], Value] | None = None) -> Value:
        tree = parse_expression(self.line, start, end)
        return evaluate(tree, lookup or _literal,
                        lambda src, at: self.substitute(at, at + len(src), menu))

    def arguments(self, words: list[Word], menu: Menu) -> tuple[list[Value], dict[str, str]]:
        """Positional values and ``key=value`` arguments (values as text)."""
        positional: list[Value] = []
        named: dict[str, str] = {}
        for word in words:
            split = word.split_key()
            if split is None:
                positional.append(self.value(word, menu))
            else:
                named[split[0]] = to_text(self.value(split[1], menu)) if split[1].pieces else ""
        return positional, named

    # --- builtins ----------------------------------------------------------------------------

    def builtin(self, words: list[Word], menu: Menu) -> Value:
        name = words[0].bare or ""
        command = _pick(name, self.COMMANDS)
        if command is None:
            raise ScriptError(f"bad command name {name[1:]} (line 1 column {words[0].start + 2})")
        if command == ":if":
            self._if(words[1:], menu)
            return None
        args = [self.value(w, menu) for w in words[1:]]
        if command == ":put" and len(args) == 1:
            self.out.append(to_text(args[0]))
            return None
        if command == ":len" and len(args) == 1:
            value = args[0]
            return len(value) if isinstance(value, list) else len(to_text(value))
        if command == ":pick" and len(args) in (2, 3):
            seq = args[0] if isinstance(args[0], list) else to_text(args[0])
            start = int(to_text(args[1]))
            if len(args) == 3:
                picked = seq[start:int(to_text(args[2]))]
                return picked if isinstance(picked, list) else "".join(picked)
            return seq[start] if 0 <= start < len(seq) else None
        raise syntax_error(words[-1].end)

    def _if(self, words: list[Word], menu: Menu) -> None:
        if not words or len(words[0].pieces) != 1 or words[0].pieces[0].kind != "expr":
            raise syntax_error(words[0].start if words else len(self.line))
        cond = words[0].pieces[0]
        branches: dict[str, tuple[int, int]] = {}
        for word in words[1:]:
            split = word.split_key()
            if split is None or split[0] not in ("do", "else") or len(split[1].pieces) != 1 \
                    or split[1].pieces[0].kind != "block":
                raise syntax_error(word.start)
            block = split[1].pieces[0]
            branches[split[0]] = (block.start, block.start + len(block.text))
        if "do" not in branches:
            raise syntax_error(len(self.line))
        result = self.expression(cond.start, cond.start + len(cond.text), menu)
        branch = branches.get("do" if truthy(result) else "else")
        if branch:
            self.block(*branch, menu)

    # --- menu commands ---------------------------------------------------------------------

    def command(self, menu: Menu, command: str, words: list[Word]) -> Value:
        if command == "export":
            self.export(menu, words)
            return None
        table = menu.table
        assert table is not None
        at = next((n for n, w in enumerate(words) if w.bare == "where"), None)
        if at is not None and command in ("find", "print"):
            flags: list[Value] = [w.bare for w in words[:at]]
            where = words[at + 1 :]
            if not where or (command == "find" and flags):
                raise syntax_error(words[at].end)
            found = self.where(table, menu, where[0].start, where[-1].end)
            if command == "find":
                return found
            self.print(table, self.s.refs(table, found), flags)
            return None
        positional, named = self.arguments(words, menu)
        if command == "print":
            self.print(table, self.s.items(table), positional)
            return None
        handlers: dict[str, Callable[[Table, list[Value], dict[str, str]], Value]] = {
            "find": self.find, "get": self.get, "add": self.add, "set": self.set,
            "remove": self.remove}
        return handlers[command](table, positional, named)

    def where(self, table: Table, menu: Menu, start: int, end: int) -> list[str]:
        """The ids of the items the ``where`` expression in ``line[start:end]`` holds for."""
        found = []
        for item in self.s.items(table):
            def lookup(name: str, item: Item = item) -> Value:
                if name == "dynamic":
                    return "no"
                if name == ".id":
                    return item.text
                return self.s.value(table, item, name) if table.prop(name) else _literal(name)

            if truthy(self.expression(start, end, menu, lookup)):
                found.append(item.text)
        return found

    def find(self, table: Table, positional: list[Value], named: dict[str, str]) -> list[str]:
        if positional:
            raise ScriptError("expected end of command")
        wanted = {}
        for name, typed in named.items():
            try:
                wanted[name] = self.s.normalise(table, name, typed)
            except ScriptError:
                wanted[name] = typed
        return [i.text for i in self.s.items(table)
                if all(self.s.value(table, i, n) == v for n, v in wanted.items())]

    def get(self, table: Table, positional: list[Value], named: dict[str, str]) -> Value:
        if named or len(positional) != (1 if table.singleton else 2):
            raise ScriptError("expected end of command")
        if table.singleton:
            item = self.s.singleton(table)
        else:
            items = self.s.refs(table, positional[0])
            if len(items) != 1:
                raise ScriptError("no such item")
            item = items[0]
        name = to_text(positional[-1])
        prop = table.prop(name)
        if prop is None or prop.hidden:
            raise ScriptError(f"invalid argument name {name}")
        return self.s.value(table, item, name)

    def add(self, table: Table, positional: list[Value], named: dict[str, str]) -> str:
        if positional:
            raise ScriptError("expected end of command")
        before = named.pop("place-before", None)
        props = {name: self.s.normalise(table, name, v) for name, v in named.items()}
        props = {k: v for k, v in props.items() if v != ""}
        for prop in table.props:
            if prop.required and prop.name not in props:
                raise ScriptError(f"failure: {prop.name} not specified")
            if prop.initial is not None and prop.name not in props:
                initial = prop.initial
                props[prop.name] = initial if isinstance(initial, str) else initial(self.s, props)
        item = Item(self.s.new_id(), props=props)
        self.s.check_unique(table, item)
        items = self.s.items(table)
        if before is None:
            items.append(item)
        else:
            targets = self.s.refs(table, before)
            if len(targets) != 1:
                raise ScriptError("no such item")
            items.insert(items.index(targets[0]), item)
        self.changed = True
        return item.text

    def set(self, table: Table, positional: list[Value], named: dict[str, str]) -> None:
        if table.singleton:
            if positional:
                raise ScriptError("expected end of command")
            targets = [self.s.singleton(table)]
        elif len(positional) != 1:
            raise ScriptError("expected end of command" if positional else "missing value(s) of "
                              "argument(s) numbers")
        else:
            targets = self.s.refs(table, positional[0])
        values = {name: self.s.normalise(table, name, v) for name, v in named.items()}
        for item in targets:
            old = dict(item.props)
            for name, v in values.items():
                if v == "":
                    item.props.pop(name, None)
                else:
                    item.props[name] = v
            if "address" in values and "network" not in values and table.prop("network"):
                item.props["network"] = _network(self.s, item.props)
            try:
                self.s.check_unique(table, item)
            except ScriptError:
                item.props = old
                raise
            self.changed |= item.props != old

    def remove(self, table: Table, positional: list[Value], named: dict[str, str]) -> None:
        if named or not positional:
            raise ScriptError("expected end of command" if named else "missing value(s) of "
                              "argument(s) numbers")
        gone = [i for ref in positional for i in self.s.refs(table, ref)]
        if gone:
            section = self.s.state.running.root.open_section(table.path)
            section.children = [i for i in section.children if all(i is not g for g in gone)]
            self.changed = True

    def print(self, table: Table, items: Sequence[Item], flags: Sequence[Value]) -> None:
        if any(f not in ("detail", "terse", "without-paging") for f in flags):
            raise ScriptError("expected end of command")
        if table.singleton:
            item = self.s.singleton(table)
            width = max(len(p.name) for p in table.props)
            self.out += [f"  {p.name:>{width}}: {self.s.value(table, item, p.name)}"
                         for p in table.props]
            return
        self.s.numbers[table.path] = [i.text for i in items]
        self.out.append("Flags: X - disabled")
        for n, item in enumerate(items):
            head = f"{n:>2} {'X' if self.s.value(table, item, 'disabled') == 'yes' else ' '}  "
            shown = " ".join(
                f"{p.name}={quote(v)}" for p in table.props
                if p.name not in ("comment", "disabled") and not p.hidden
                and (v := self.s.value(table, item, p.name)))
            comment = item.props.get("comment")
            if comment:
                self.out += [f"{head};;; {comment}", " " * len(head) + shown]
            else:
                self.out.append(head + shown)

    def export(self, menu: Menu, words: list[Word]) -> None:
        flags = set()
        for word in words:
            flag = word.bare
            if flag is not None and flag.startswith("file="):
                raise ScriptError("failure: the simulator writes no files")
            if flag not in ("terse", "verbose", "compact", "show-sensitive", "hide-sensitive"):
                raise ScriptError(f"expected end of command (line 1 column {word.start + 1})")
            flags.add(flag)
        text = self.s.export(menu.tables(), terse="terse" in flags,
                             sensitive="show-sensitive" in flags)
        self.out += text.splitlines()


def _literal(name: str) -> Value:
    return {"true": True, "false": False}.get(name, name)
