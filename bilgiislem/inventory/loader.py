"""Load an inventory directory, validate every file, and collect every problem at once."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bilgiislem import naming
from bilgiislem.inventory import crosscheck, models, yamlio
from bilgiislem.inventory.issues import InventoryError, Issue, Loc, loc_to_path

VAULT_HEADER = "$ANSIBLE_VAULT;"


@dataclass
class Inventory:
    """A validated inventory. Only ``load()`` makes one."""

    root: Path
    municipality: models.Municipality
    sites: list[models.Site]
    networks: list[models.Network]
    connection: models.Connection
    hosts: list[models.Host]
    devices: list[models.Device] = field(default_factory=list)
    port_profiles: dict[str, models.PortProfile] = field(default_factory=dict)
    personel: list[models.Kisi] = field(default_factory=list)
    usernames: dict[str, str] = field(default_factory=dict)  # sicil_no -> username
    backups: models.BackupsFile | None = None  # None: no backups.yml, no backups declared
    vpn: models.VpnFile | None = None  # None: no vpn.yml, no site-to-site VPN
    pbx: models.PbxFile | None = None  # None: no pbx.yml, no telephone exchange
    cameras: models.CamerasFile | None = None  # None: no cameras.yml, no cameras managed
    legal_logging: models.LegalLoggingFile | None = None  # None: no 5651 sealing
    content_filter: models.ContentFilterFile | None = None  # None: no filtering resolver
    holiday_power: models.HolidayPowerFile | None = None  # None: the defaults, no leave days
    varliklar: models.VarliklarFile | None = None  # None: no register data for the assets
    ups: models.UpsFile | None = None  # None: no ups.yml, no UPS shutdown

    def network(self, name: str) -> models.Network:
        return next(n for n in self.networks if n.name == name)

    def site(self, code: str) -> models.Site:
        return next(s for s in self.sites if s.code == code)

    def management_ip(self, host: models.Host) -> str:
        wanted = host.management_network or host.interfaces[0].network
        return next(i.ip for i in host.interfaces if i.network == wanted)

    def hosts_with_role(self, role: str) -> list[models.Host]:
        return [h for h in self.hosts if role in h.roles]

    def servers(self) -> list[models.Host]:
        """The hosts with systemd: those the roles common and hardening manage (a sysvinit
        host, the lab's PBX, has neither their accounts nor their settings)."""
        return [h for h in self.hosts if h.init_system == "systemd"]

    def host(self, name: str) -> models.Host:
        return next(h for h in self.hosts if h.name == name)

    def network_devices(self) -> list[models.Device]:
        """The switches, routers and firewalls whose configuration the project renders."""
        return [d for d in self.devices if d.kind in models.RENDERED_KINDS
                and d.vendor in models.NETWORK_VENDORS]

    def backup_clients(self) -> list[str]:
        """Hosts that appear in some backup set, in the order of hosts.yml."""
        if self.backups is None:
            return []
        named = {h for s in self.backups.sets for h in s.hosts}
        return [h.name for h in self.hosts if h.name in named]

    def backup_classes(self) -> dict[str, tuple[str, int]]:
        """Every class with its schedule and keep, overrides of backups.yml applied."""
        out = dict(models.BACKUP_CLASSES)
        overrides = self.backups.classes if self.backups else None
        for name, (schedule, keep) in models.BACKUP_CLASSES.items():
            o = getattr(overrides, name, None) if overrides else None
            if o is not None:
                out[name] = (o.schedule or schedule, o.keep if o.keep is not None else keep)
        return out

    def resolve(self, relative: str) -> Path:
        """A path written in the inventory, relative to the inventory directory."""
        path = Path(relative)
        return path if path.is_absolute() else (self.root / path).resolve()


# ---------------------------------------------------------------------------------------------
# pydantic errors -> Issues


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types behind Optional/Annotated/list/Union."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(annotation) for t in _unwrap(a)]
    if origin is list:
        return _unwrap(typing.get_args(annotation)[0])
    return [annotation]


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        nested = [t for t in _unwrap(info.annotation) if isinstance(t, type)
                  and issubclass(t, BaseModel)]
        current = nested[0] if nested else None
    return current


def _range_hint(model: type[BaseModel], loc: Loc) -> str:
    """'allowed range: 1-4094' from the field's ge/le constraints."""
    names = [p for p in loc if isinstance(p, str)]
    parent = _model_at(model, tuple(p for p in loc[:-1]))
    if parent is None or not names or names[-1] not in parent.model_fields:
        return ""
    lo = hi = None
    stack: list[Any] = [parent.model_fields[names[-1]]]
    while stack:
        item = stack.pop()
        for meta in getattr(item, "metadata", []) or []:
            lo = getattr(meta, "ge", lo) if getattr(meta, "ge", None) is not None else lo
            hi = getattr(meta, "le", hi) if getattr(meta, "le", None) is not None else hi
        stack.extend(a for a in typing.get_args(getattr(item, "annotation", item)))
        if typing.get_origin(item) is typing.Annotated:
            stack.extend(typing.get_args(item)[1:])
    return f"allowed range: {lo}-{hi}" if lo is not None and hi is not None else ""


def _kind(value: Any) -> str:
    """What YAML made of a value, in the words of the YAML file rather than Python's."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a mapping"


def _describe(  # noqa: PLR0911 (one return per kind of error)
    err: dict[str, Any], model: type[BaseModel], raw: str | None = None
) -> tuple[str, str, Any]:
    """(message, hint, value) for one pydantic error; ``raw`` is the scalar as written."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    loc = tuple(err["loc"])
    field_name = str(loc[-1]) if loc else ""
    if kind == "bilgiislem":
        return err["msg"], ctx.get("hint", ""), value
    if kind == "missing":
        return "required field is missing", f"add '{field_name}:' here", None
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = sorted(parent.model_fields) if parent else []
        hint = f"allowed fields: {', '.join(allowed)}" if allowed else ""
        guess = naming.suggest(field_name, allowed)
        if guess:
            hint = f"did you mean '{guess}'? " + hint
        return f"unknown field '{field_name}'", hint, value
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        if value is None:
            return "has no value", f"choose one of: {', '.join(choices)}", value
        guess = naming.suggest(str(value), choices)
        # The message already lists the choices; the hint only adds a close match.
        hint = f"did you mean '{guess}'?" if guess else ""
        return f"{value!r} is not one of: {', '.join(choices)}", hint, value
    if kind == "list_type" and value is None:
        return ("has no value", f"write '{field_name}: []' if there are none, or list them "
                "one per line starting with '- '", value)
    if value is None:
        if loc and isinstance(loc[-1], int):
            return "has no value", "write a value after '- ', or remove the empty item", value
        return "has no value", f"write a value after '{field_name}:'", value
    if kind == "string_type":
        if isinstance(value, list | dict):
            return f"must be text, not {_kind(value)}", "write a single value", value
        written = raw if raw is not None else str(value)
        hint = f"put it in quotes: '{written}'"
        if isinstance(value, bool):
            hint += f" (without quotes YAML reads it as {str(value).lower()})"
        elif str(value) != written:
            hint += f" (without quotes YAML reads it as the {_kind(value)[2:]} {value})"
        return f"{written} must be text", hint, value
    if kind in ("int_type", "int_parsing", "int_from_float"):
        if isinstance(value, list | dict):
            return f"must be a whole number, not {_kind(value)}", "write digits only", value
        return (f"{value!r} must be a whole number", "write digits only, without quotes", value)
    if kind == "greater_than_equal":
        return f"{value!r} is below the minimum {ctx['ge']}", _range_hint(model, loc), value
    if kind == "less_than_equal":
        return f"{value!r} is above the maximum {ctx['le']}", _range_hint(model, loc), value
    if kind == "too_short":
        return (f"needs at least {ctx.get('min_length', 1)} entry", "the list is empty", value)
    if kind == "string_too_short":
        return "must not be empty", "", value
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters", "", value
    if kind == "list_type":
        hint = f"write it as a list: [{value}]" if isinstance(value, str) else (
            "start each item with '- '")
        return f"must be a list, not {_kind(value)}", hint, value
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (f"must be a mapping of fields, not {_kind(value)}",
                "write 'key: value' lines indented under it", value)
    if kind in ("bool_type", "bool_parsing"):
        written = raw if raw is not None else str(value)
        return (f"{written!r} must be true or false", "write true or false, without quotes",
                value)
    if kind.startswith("date"):
        return f"{value!r} is not a date", "write dates as YYYY-MM-DD, e.g. 2024-03-01", value
    return err["msg"], "", value


def _to_issues(file: str, doc: yamlio.YamlDoc, exc: ValidationError,
               model: type[BaseModel]) -> list[Issue]:
    issues = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        message, hint, value = _describe(err, model, doc.raw.get(loc))
        issues.append(Issue(file, doc.line_of(loc), loc_to_path(loc), value, message, hint))
    return issues


# ---------------------------------------------------------------------------------------------
# Files


def _check_layout(root: Path) -> list[Issue]:
    issues = []
    known = set(models.FILES) | set(models.ANSIBLE_FILES)
    for path in sorted(root.iterdir()):
        name = path.name
        if path.is_dir():
            if name not in ("group_vars", models.SOUNDS_DIR, models.FILTER_LISTS_DIR):
                issues.append(Issue(name, None, "(directory)", name,
                                    f"unexpected directory '{name}'",
                                    "data lives in the YAML files listed in docs/inventory.md"))
            continue
        if path.suffix in (".yml", ".yaml") and name not in known:
            guess = naming.suggest(name, known)
            hint = (f"did you mean '{guess}'?" if guess
                    else f"known files: {', '.join(sorted(known))}")
            issues.append(Issue(name, None, "(file)", name, f"unknown data file '{name}'", hint))
    for name in models.REQUIRED_FILES:
        if not (root / name).is_file():
            issues.append(Issue(name, None, "(file)", None, "required file is missing",
                                f"create {name}; see inventory/lab/{name} for an example"))
    group_vars = root / "group_vars"
    if group_vars.is_dir():
        for path in sorted(p for p in group_vars.rglob("*") if p.is_file()):
            rel = str(path.relative_to(root))
            if rel != models.SECRETS_FILE:
                issues.append(Issue(rel, None, "(file)", rel, f"unexpected file '{rel}'",
                                    f"only {models.SECRETS_FILE} (the vault) belongs under "
                                    "group_vars; other data goes in the data files"))
    secrets = root / models.SECRETS_FILE
    if secrets.is_file():
        head = secrets.read_text(encoding="utf-8", errors="replace")[:64]
        if not head.startswith(VAULT_HEADER):
            issues.append(Issue(models.SECRETS_FILE, 1, "(file)", None,
                                "secrets file is not encrypted with Ansible Vault",
                                f"run: ansible-vault encrypt {models.SECRETS_FILE}"))
    return issues


def load(root: str | Path, display: str | None = None) -> Inventory:
    """Validate the inventory at ``root`` and return it, or raise InventoryError."""
    root_path = Path(root)
    shown = display if display is not None else str(root)
    if not root_path.is_dir():
        raise InventoryError([Issue(str(root), None, "(directory)", str(root),
                                    "inventory directory does not exist",
                                    "pass --inventory with a directory such as inventory/lab")])
    issues = _check_layout(root_path)
    parsed: dict[str, Any] = {}
    docs: dict[str, yamlio.YamlDoc] = {}
    for name, model in models.FILES.items():
        path = root_path / name
        if not path.is_file():
            if name not in models.REQUIRED_FILES:
                parsed[name] = None if name in models.FEATURE_FILES else model()
            continue
        try:
            doc = yamlio.read(path)
        except yamlio.YamlProblem as exc:
            issues.append(Issue(name, exc.line, loc_to_path(exc.loc), None, exc.message,
                                exc.hint))
            continue
        docs[name] = doc
        data = doc.data if doc.data is not None else {}
        if not isinstance(data, dict):
            issues.append(Issue(name, 1, "(top level)", None,
                                f"must be a mapping, not {_kind(data)}",
                                f"the file starts with '{next(iter(model.model_fields))}:'"))
            continue
        try:
            parsed[name] = model.model_validate(data)
        except ValidationError as exc:
            issues.extend(_to_issues(name, doc, exc, model))
    if len(parsed) == len(models.FILES):
        inv = Inventory(
            root=root_path.resolve(),
            municipality=parsed["municipality.yml"].municipality,
            sites=parsed["sites.yml"].sites,
            networks=parsed["networks.yml"].networks,
            connection=parsed["hosts.yml"].connection,
            hosts=parsed["hosts.yml"].hosts,
            devices=parsed["devices.yml"].devices,
            port_profiles=parsed["devices.yml"].port_profiles,
            personel=parsed["personel.yml"].personel,
            backups=parsed["backups.yml"],
            vpn=parsed["vpn.yml"],
            pbx=parsed["pbx.yml"],
            cameras=parsed["cameras.yml"],
            legal_logging=parsed["legal_logging.yml"],
            content_filter=parsed["content_filter.yml"],
            holiday_power=parsed["holiday_power.yml"],
            varliklar=parsed["varliklar.yml"],
            ups=parsed["ups.yml"],
        )
        inv.usernames = naming.assign_usernames(
            [(k.sicil_no, k.ad, k.soyad, k.baslama, k.kullanici_adi) for k in inv.personel]
        )
        issues.extend(crosscheck.check(inv, docs))
    if issues:
        raise InventoryError(issues, shown)
    return inv
