"""The holiday power schedule: which machines go down before a public holiday or an
administrative leave and come back after it, and when.

The rule, from the official calendar (:mod:`bilgiislem.calendar_tr`: national days, Ramazan
and Kurban Bayramı, half days) and the inventory's ``holiday_power.yml``:

- a *day off* is a Saturday, a Sunday, a full public holiday or a day of administrative leave
  (``idari_izin``, bridge days declared by circular);
- a *holiday period* is a run of consecutive days off that holds at least one public holiday or
  leave day (a plain weekend is not one), and at least ``min_days`` days long;
- the machines go down on the last working day before the period: at ``half_day_shutdown_time``
  when that day is a half day (*arife*, work ends at 13:00), otherwise at ``shutdown_time``;
- they come back at ``power_on_time`` on the first working day after it.

A period belongs to the year of its first holiday or leave day; it may start in the year before
(1 January on a Monday goes down on the Friday before) or end in the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bilgiislem import calendar_tr
from bilgiislem.inventory import models
from bilgiislem.inventory.loader import Inventory


@dataclass(frozen=True)
class Machine:
    name: str
    kind: str  # "sunucu" (a host of hosts.yml) or the device's kind
    method: str  # models.POWER_ON_METHODS
    order: int
    address: str  # where the power-on goes: MAC (wol), BMC (ipmi), the host (rtc), ""


@dataclass(frozen=True)
class Period:
    first_day: date  # the first day off
    last_day: date  # the last day off
    names: tuple[str, ...]  # the holidays and leave days in it, in Turkish
    shutdown: datetime
    power_on: datetime
    half_day: bool  # the shutdown is on a half day (arife)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class Plan:
    year: int
    periods: tuple[Period, ...]
    machines: tuple[Machine, ...]  # in shutdown order; power-on goes the other way


def periods(year: int, settings: models.HolidayPowerFile | None = None) -> list[Period]:
    s = settings or models.HolidayPowerFile()
    days_off = {d: x for d, x in calendar_tr.official([year - 1, year, year + 1]).items()}
    days_off.update(calendar_tr.leave_days(s))
    half = {d for d, x in days_off.items() if x.half_day}

    def named(d: date) -> str | None:
        x = days_off.get(d)
        return None if x is None or x.half_day else x.name

    def off(d: date) -> bool:
        return d.weekday() >= 5 or named(d) is not None

    out: list[Period] = []
    d = date(year - 1, 12, 20)
    end = date(year + 1, 1, 15)
    while d <= end:
        if not off(d):
            d += timedelta(days=1)
            continue
        first = d
        while off(d + timedelta(days=1)):
            d += timedelta(days=1)
        last = d
        d += timedelta(days=1)
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        names = [part for x in days if (n := named(x)) is not None for part in n.split("; ")]
        if not names or (last - first).days + 1 < s.min_days:
            continue
        if min(x for x in days if named(x) is not None).year != year:
            continue
        eve = first - timedelta(days=1)
        is_half = eve in half
        shut_at = s.half_day_shutdown_time if is_half else s.shutdown_time
        out.append(Period(
            first, last, tuple(dict.fromkeys(names)),
            datetime.combine(eve, time.fromisoformat(shut_at)),
            datetime.combine(last + timedelta(days=1), time.fromisoformat(s.power_on_time)),
            is_half))
    return out


def machines(inv: Inventory) -> list[Machine]:
    out = []
    for h in inv.hosts:
        if h.tatilde_kapat and h.power_on is not None:
            p = h.power_on
            out.append(Machine(h.name, "sunucu", p.method, p.order,
                               p.mac or p.bmc or (inv.management_ip(h) if p.method == "rtc"
                                                  else "")))
    for dv in inv.devices:
        if dv.tatilde_kapat and dv.power_on is not None:
            p = dv.power_on
            out.append(Machine(dv.name, dv.kind, p.method, p.order, p.mac or p.bmc or ""))
    return sorted(out, key=lambda m: (m.order, m.name))


def plan(inv: Inventory, year: int) -> Plan:
    return Plan(year, tuple(periods(year, inv.holiday_power)), tuple(machines(inv)))


METHOD_TR = {
    "wol": "Wake-on-LAN",
    "ipmi": "IPMI (BMC)",
    "rtc": "donanım saati alarmı (rtcwake)",
    "timer_socket": "zamanlı priz / PDU (elle ayarlanır)",
}


def to_json(p: Plan) -> dict[str, object]:
    return {
        "year": p.year,
        "periods": [{
            "first_day": x.first_day.isoformat(), "last_day": x.last_day.isoformat(),
            "days": x.days, "names": list(x.names), "half_day": x.half_day,
            "shutdown": x.shutdown.isoformat(timespec="minutes"),
            "power_on": x.power_on.isoformat(timespec="minutes"),
        } for x in p.periods],
        "machines": [{"name": m.name, "kind": m.kind, "power_on": m.method, "order": m.order,
                      "address": m.address} for m in p.machines],
    }
