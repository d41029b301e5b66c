"""SOAP 1.2 envelopes, ONVIF faults and the WS-Security UsernameToken check."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    "ter": "http://www.onvif.org/ver10/error",
}
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DIGEST = "#PasswordDigest"
MAX_SKEW_S = 300  # a UsernameToken Created further than this from the camera's clock is refused


class SoapFault(Exception):
    """An ONVIF fault: ``code`` env:Sender/env:Receiver, ``subcodes`` ter:... (outermost
    first), ``reason`` the text."""

    def __init__(self, code: str, subcodes: list[str], reason: str) -> None:
        super().__init__(reason)
        self.code, self.subcodes, self.reason = code, subcodes, reason

    @property
    def http_status(self) -> int:
        return 400 if self.code == "Sender" else 500


def not_authorized(reason: str = "Sender not Authorized") -> SoapFault:
    return SoapFault("Sender", ["NotAuthorized"], reason)


def invalid_arg(sub: str | None, reason: str) -> SoapFault:
    return SoapFault("Sender", ["InvalidArgVal", *([sub] if sub else [])], reason)


def action_not_supported(name: str) -> SoapFault:
    return SoapFault("Receiver", ["ActionNotSupported"],
                     f"Optional Action Not Implemented: {name}")


# --- building -------------------------------------------------------------------------------

class Xml(str):
    """Markup already: :func:`el` inserts it as is (any other str is escaped as text)."""

    __slots__ = ()


def el(tag: str, *children: object, **attrs: object) -> Xml:
    """``<tag attrs>children</tag>``: :class:`Xml` children as they are, lists flattened,
    booleans as true/false, anything else as escaped text; None children are left out."""
    parts: list[str] = []

    def add(item: object) -> None:
        if item is None:
            return
        if isinstance(item, Xml):
            parts.append(item)
        elif isinstance(item, bool):
            parts.append("true" if item else "false")
        elif isinstance(item, list | tuple):
            for sub in item:
                add(sub)
        else:
            parts.append(escape(str(item)))

    for item in children:
        add(item)
    attr = "".join(f" {k.rstrip('_')}={quoteattr(str(v))}" for k, v in attrs.items()
                   if v is not None)
    return Xml(f"<{tag}{attr}>{''.join(parts)}</{tag}>")


def text(value: object) -> str:
    return escape(str(value))


def envelope(body: str) -> bytes:
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope {ns}><env:Body>{body}'
            f"</env:Body></env:Envelope>").encode()


def fault_envelope(fault: SoapFault) -> bytes:
    sub: Xml | None = None
    for code in reversed(fault.subcodes):
        sub = el("env:Subcode", el("env:Value", f"ter:{code}"), sub)
    body = el("env:Fault",
              el("env:Code", el("env:Value", f"env:{fault.code}"), sub),
              el("env:Reason", Xml(f'<env:Text xml:lang="en">{text(fault.reason)}</env:Text>')))
    return envelope(body)


# --- reading --------------------------------------------------------------------------------

def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(node: ET.Element | None, name: str) -> ET.Element | None:
    if node is None:
        return None
    return next((c for c in node if local(c.tag) == name), None)


def children(node: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if node is None else [c for c in node if local(c.tag) == name]


def text_of(node: ET.Element | None, name: str, default: str | None = None) -> str | None:
    found = child(node, name)
    if found is None or found.text is None:
        return default
    return found.text.strip()


def parse(body: bytes) -> tuple[ET.Element | None, ET.Element]:
    """(the Security header or None, the first element of the Body)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        raise SoapFault("Sender", ["WellFormed"], f"XML not well-formed: {err}") from err
    if local(root.tag) != "Envelope":
        raise SoapFault("Sender", ["WellFormed"], "not a SOAP envelope")
    header, soap_body = child(root, "Header"), child(root, "Body")
    operation = next(iter(soap_body), None) if soap_body is not None else None
    if operation is None:
        raise SoapFault("Sender", ["WellFormed"], "empty SOAP Body")
    return child(header, "Security"), operation


def parse_time(value: str) -> float:
    when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


def check_token(security: ET.Element | None, users: list[dict[str, str]],
                camera_now: float, seen_nonce: object) -> dict[str, str]:
    """The user a UsernameToken authenticates, or a NotAuthorized fault. ``seen_nonce`` is a
    callable(nonce) -> bool telling a replay."""
    token = child(security, "UsernameToken")
    if token is None:
        raise not_authorized("Sender not Authorized: no WS-Security UsernameToken")
    username = text_of(token, "Username", "") or ""
    password_node = child(token, "Password")
    supplied = (password_node.text or "") if password_node is not None else ""
    kind = password_node.get("Type", "") if password_node is not None else ""
    nonce = text_of(token, "Nonce", "") or ""
    created = text_of(token, "Created", "") or ""
    user = next((u for u in users if u["username"] == username), None)
    if kind.endswith(DIGEST):
        if not (nonce and created):
            raise not_authorized("Sender not Authorized: digest without nonce or created")
        try:
            skew = abs(parse_time(created) - camera_now)
        except ValueError as err:
            raise not_authorized("Sender not Authorized: bad Created") from err
        if skew > MAX_SKEW_S:
            raise not_authorized(f"Sender not Authorized: Created is {int(skew)} s away "
                                 "from the device clock")
        if user is None:
            raise not_authorized()
        try:
            raw_nonce = base64.b64decode(nonce)
        except ValueError as err:
            raise not_authorized("Sender not Authorized: bad nonce") from err
        expected = base64.b64encode(hashlib.sha1(
            raw_nonce + created.encode() + user["password"].encode()).digest()).decode()
        if not hmac.compare_digest(expected, supplied.strip()):
            raise not_authorized()
        if callable(seen_nonce) and seen_nonce(nonce):
            raise not_authorized("Sender not Authorized: replayed nonce")
        return user
    if user is None or not hmac.compare_digest(user["password"].encode(), supplied.encode()):
        raise not_authorized()
    return user
