"""The response clocks count Finnish working days: weekends and public holidays are skipped."""

from datetime import date

import pytest

from polku.voice.working_days import (
    add_working_days,
    easter_sunday,
    finnish_holidays,
    is_working_day,
    working_days_between,
)

HOLIDAYS = {
    2025: {
        date(2025, 1, 1): "New Year's Day",
        date(2025, 1, 6): "Epiphany",
        date(2025, 4, 18): "Good Friday",
        date(2025, 4, 20): "Easter Sunday",
        date(2025, 4, 21): "Easter Monday",
        date(2025, 5, 1): "May Day",
        date(2025, 5, 29): "Ascension Day",
        date(2025, 6, 8): "Whit Sunday",
        date(2025, 6, 20): "Midsummer Eve",
        date(2025, 6, 21): "Midsummer Day",
        date(2025, 11, 1): "All Saints' Day",
        date(2025, 12, 6): "Independence Day",
        date(2025, 12, 24): "Christmas Eve",
        date(2025, 12, 25): "Christmas Day",
        date(2025, 12, 26): "St Stephen's Day",
    },
    2026: {
        date(2026, 1, 1): "New Year's Day",
        date(2026, 1, 6): "Epiphany",
        date(2026, 4, 3): "Good Friday",
        date(2026, 4, 5): "Easter Sunday",
        date(2026, 4, 6): "Easter Monday",
        date(2026, 5, 1): "May Day",
        date(2026, 5, 14): "Ascension Day",
        date(2026, 5, 24): "Whit Sunday",
        date(2026, 6, 19): "Midsummer Eve",
        date(2026, 6, 20): "Midsummer Day",
        date(2026, 10, 31): "All Saints' Day",
        date(2026, 12, 6): "Independence Day",
        date(2026, 12, 24): "Christmas Eve",
        date(2026, 12, 25): "Christmas Day",
        date(2026, 12, 26): "St Stephen's Day",
    },
    2027: {
        date(2027, 1, 1): "New Year's Day",
        date(2027, 1, 6): "Epiphany",
        date(2027, 3, 26): "Good Friday",
        date(2027, 3, 28): "Easter Sunday",
        date(2027, 3, 29): "Easter Monday",
        date(2027, 5, 1): "May Day",
        date(2027, 5, 6): "Ascension Day",
        date(2027, 5, 16): "Whit Sunday",
        date(2027, 6, 25): "Midsummer Eve",
        date(2027, 6, 26): "Midsummer Day",
        date(2027, 11, 6): "All Saints' Day",
        date(2027, 12, 6): "Independence Day",
        date(2027, 12, 24): "Christmas Eve",
        date(2027, 12, 25): "Christmas Day",
        date(2027, 12, 26): "St Stephen's Day",
    },
}


@pytest.mark.parametrize("year", sorted(HOLIDAYS))
def test_it_knows_every_holiday_of_the_year(year: int) -> None:
    """The calendar holds exactly the fixed, Easter-based and moving holidays of the year."""
    assert finnish_holidays(year) == HOLIDAYS[year]


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2038, date(2038, 4, 25))],
)
def test_it_finds_easter(year: int, easter: date) -> None:
    """Easter Sunday follows the Gregorian computus, including its latest possible date."""
    assert easter_sunday(year) == easter


def test_it_places_midsummer_and_all_saints_on_their_saturdays() -> None:
    """Midsummer Day is the Saturday of 20 to 26 June, All Saints' that of 31 Oct to 6 Nov."""
    for year in range(2020, 2040):
        holidays = {name: day for day, name in finnish_holidays(year).items()}
        assert holidays["Midsummer Day"].weekday() == 5
        assert date(year, 6, 20) <= holidays["Midsummer Day"] <= date(year, 6, 26)
        assert holidays["Midsummer Eve"].weekday() == 4
        assert holidays["All Saints' Day"].weekday() == 5
        assert date(year, 10, 31) <= holidays["All Saints' Day"] <= date(year, 11, 6)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 4, 2), True),  # Maundy Thursday
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 7), True),
        (date(2026, 5, 14), False),  # Ascension Day
        (date(2026, 6, 19), False),  # Midsummer Eve
        (date(2026, 12, 7), True),  # the Monday after Independence Day
        (date(2026, 12, 5), False),  # a Saturday
        (date(2025, 12, 24), False),
        (date(2025, 12, 23), True),
    ],
)
def test_it_tells_working_days_apart(day: date, working: bool) -> None:
    """Weekdays are working days unless they are holidays."""
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # Monday + 5 = next Monday
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday + 1 skips the weekend
        (date(2026, 3, 31), 5, date(2026, 4, 9)),  # over Good Friday and Easter Monday
        (date(2026, 6, 17), 2, date(2026, 6, 22)),  # over Midsummer
        (date(2025, 12, 22), 5, date(2026, 1, 2)),  # over Christmas and New Year
        (date(2027, 1, 4), 30, date(2027, 2, 16)),  # the default answer clock, via Epiphany
        (date(2026, 3, 7), 0, date(2026, 3, 7)),
    ],
)
def test_it_adds_working_days(start: date, days: int, due: date) -> None:
    """The due date is the Nth working day after the day of submission."""
    assert add_working_days(start, days) == due
    assert working_days_between(start, due) == days


def test_it_counts_back_as_negative() -> None:
    """Counting from a later to an earlier day gives a negative number of working days."""
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == -5


def test_it_refuses_negative_days() -> None:
    """Adding a negative number of working days is a programming error."""
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 3, 2), -1)
