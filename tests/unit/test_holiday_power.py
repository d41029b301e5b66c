"""The holiday power schedule on known dates: Turkey's 2026 and 2027 calendars."""

import datetime as dt

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import load, models
from bilgiislem.pbx import plan as pbx_plan
from bilgiislem.power import holiday, run

EXAMPLE = REPO_ROOT / "inventory" / "example"
D = dt.date
T = dt.datetime


def _periods(year: int, **settings: object) -> dict[dt.date, holiday.Period]:
    s = models.HolidayPowerFile.model_validate(settings)
    return {p.first_day: p for p in holiday.periods(year, s)}


def test_arife_half_day_shuts_down_at_its_own_time():
    # 2027: Ramazan Bayramı 9-11 March (Tue-Thu), arife Monday 8 March from 13:00
    p = _periods(2027)[D(2027, 3, 9)]
    assert p.half_day
    assert p.shutdown == T(2027, 3, 8, 13, 30)
    assert p.last_day == D(2027, 3, 11)
    assert p.power_on == T(2027, 3, 12, 7, 0)  # Friday is a working day
    assert p.names == ("Ramazan Bayramı",)
    # 29 October 2027 (Friday), arife Thursday 28th
    c = _periods(2027)[D(2027, 10, 29)]
    assert (c.shutdown, c.power_on, c.days) == (T(2027, 10, 28, 13, 30), T(2027, 11, 1, 7, 0), 3)


def test_administrative_leave_joins_the_bayram_and_the_weekend():
    p = _periods(2027, idari_izin={2027: [{"date": "2027-03-12", "reason": "köprü"}]})
    ramazan = p[D(2027, 3, 9)]
    assert (ramazan.last_day, ramazan.days) == (D(2027, 3, 14), 6)
    assert ramazan.power_on == T(2027, 3, 15, 7, 0)
    assert ramazan.names == ("Ramazan Bayramı", "İdari izin: köprü")


def test_a_holiday_next_to_a_weekend_makes_one_period():
    # Zafer Bayramı 30 August 2027 is a Monday: down Friday evening, up Tuesday
    p = _periods(2027)[D(2027, 8, 28)]
    assert (p.shutdown, p.last_day, p.power_on) == (
        T(2027, 8, 27, 18, 30), D(2027, 8, 30), T(2027, 8, 31, 7, 0))
    assert not p.half_day


def test_a_half_day_on_a_weekend_changes_nothing():
    # Kurban Bayramı 2027: arife Saturday 15 May, bayram 16-19 May with 19 Mayıs
    p = _periods(2027)[D(2027, 5, 15)]
    assert (p.shutdown, p.power_on, p.half_day) == (T(2027, 5, 14, 18, 30),
                                                    T(2027, 5, 20, 7, 0), False)
    assert p.names == ("Kurban Bayramı", "Atatürk'ü Anma, Gençlik ve Spor Bayramı")


def test_new_year_goes_down_in_the_year_before():
    p = _periods(2027)[D(2027, 1, 1)]
    assert p.shutdown == T(2026, 12, 31, 18, 30)
    assert D(2026, 1, 1) in _periods(2026)
    # a plain weekend is no holiday period, and periods belong to their holiday's year
    assert all(x.year == 2027 for x in _periods(2027))
    assert D(2027, 1, 9) not in _periods(2027)


def test_single_mid_week_holiday_and_min_days():
    assert D(2027, 7, 15) in _periods(2027)  # Thursday
    long_only = _periods(2027, min_days=3)
    assert D(2027, 7, 15) not in long_only
    assert D(2027, 5, 1) not in long_only  # Saturday-Sunday only
    assert D(2027, 8, 28) in long_only


def test_times_come_from_holiday_power_yml():
    p = _periods(2027, shutdown_time="17:00", half_day_shutdown_time="13:15",
                 power_on_time="06:45")
    assert p[D(2027, 4, 23)].shutdown == T(2027, 4, 22, 17, 0)
    assert p[D(2027, 3, 9)].shutdown == T(2027, 3, 8, 13, 15)
    assert p[D(2027, 3, 9)].power_on == T(2027, 3, 12, 6, 45)


def test_plan_of_the_example_inventory():
    inv = load(EXAMPLE)
    p = holiday.plan(inv, 2027)
    assert [(m.name, m.method, m.address) for m in p.machines] == [
        ("gw-kutuphane-cocuk", "wol", "52:54:00:22:00:01")]
    data = holiday.to_json(p)
    ramazan = next(x for x in data["periods"] if x["first_day"] == "2027-03-09")
    assert ramazan["power_on"] == "2027-03-15T07:00"
    text = run.plan_text(p)
    assert "2027-03-08 Pzt 13:30 (arife)" in text
    assert "Wake-on-LAN" in text
    # the PBX's after-hours days include the administrative leave of holiday_power.yml
    days = {h.date: h for h in pbx_plan.holidays(inv, [2027])}
    assert days[D(2027, 3, 12)].name.startswith("İdari izin")
    assert days[D(2027, 3, 8)].half_day


def test_next_power_on_is_the_running_or_next_period():
    p = holiday.plan(load(EXAMPLE), 2027)
    assert run.next_power_on(p, T(2027, 3, 8, 14, 0)) == T(2027, 3, 15, 7, 0)
    assert run.next_power_on(p, T(2027, 12, 1)) is None
