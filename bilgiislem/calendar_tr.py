"""Turkey's official calendar, the one source of public holidays for the PBX's after-hours
announcement (pbx.yml) and the holiday power schedule (holiday_power.yml).

Public holidays and half days (*arife*, work ends at 13:00) come from the ``holidays``
package, with Turkish names; administrative leave (*idari izin*) is the inventory's
``holiday_power.yml``. A full holiday wins over a half day on the same date (19 May 2027 falls
in a bayram).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays as holidays_lib

from bilgiislem.inventory import models


@dataclass(frozen=True)
class Day:
    date: dt.date
    name: str
    half_day: bool


def official(years: list[int]) -> dict[dt.date, Day]:
    """Public holidays and half days of ``years``, by date."""
    found: dict[dt.date, Day] = {}
    for category, half in (("half_day", True), ("public", False)):
        cal = holidays_lib.country_holidays("TR", years=years, categories=(category,),
                                            language="tr")
        for day, name in sorted(cal.items()):
            found[day] = Day(day, name, half)
    return found


def leave_days(hp: models.HolidayPowerFile | None) -> dict[dt.date, Day]:
    """Administrative leave days of holiday_power.yml, as full days off."""
    if hp is None:
        return {}
    return {d.date: Day(d.date, f"İdari izin: {d.reason}", False)
            for days in hp.idari_izin.values() for d in days}
