"""What a cell may hold, and how to read it: the vocabulary of the workbook format.

Each ``parse_*`` takes a raw cell value (as openpyxl gives it: str, int, float,
bool, date, datetime, time or None) and returns the value, or raises
:class:`CellError` whose message and hint go straight to the manager.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta

YES = {"y", "yes", "x", "1", "true", "✓", "✔", "tick", "ok"}
NO = {"", "n", "no", "0", "false", "-", "none"}
DAY_NAMES = {
    "mon": "Mon", "monday": "Mon", "tue": "Tue", "tues": "Tue", "tuesday": "Tue",
    "wed": "Wed", "weds": "Wed", "wednesday": "Wed", "thu": "Thu", "thur": "Thu",
    "thurs": "Thu", "thursday": "Thu", "fri": "Fri", "friday": "Fri", "sat": "Sat",
    "saturday": "Sat", "sun": "Sun", "sunday": "Sun",
}
SEN_VALUES = {
    "": "none", "none": "none", "no": "none", "n": "none", "-": "none",
    "sen support": "SEN support", "support": "SEN support", "sen": "SEN support", "k": "SEN support",
    "ehcp": "EHCP", "ehc plan": "EHCP", "ehc": "EHCP", "statement": "EHCP",
}
QUALIFICATION_VALUES = {
    "level 2": "Level 2", "l2": "Level 2", "2": "Level 2",
    "level 3": "Level 3", "l3": "Level 3", "3": "Level 3",
    "level 6": "Level 6", "l6": "Level 6", "6": "Level 6",
    "qts": "QTS", "eyts": "EYTS", "eyps": "EYPS", "student": "Student",
}
ROLE_VALUES = {
    "key person": "key person", "keyperson": "key person", "key worker": "key person",
    "keyworker": "key person", "kp": "key person", "key": "key person",
    "co-worker": "co-worker", "coworker": "co-worker", "co worker": "co-worker",
    "buddy": "co-worker", "cw": "co-worker", "co-key person": "co-worker",
}
LOCK_RULES = {"must": "must", "must not": "must not", "mustn't": "must not",
              "never": "must not", "not": "must not", "always": "must"}
STRENGTHS = {"1": 1, "weak": 1, "2": 2, "medium": 2, "3": 3, "strong": 3}
OFF = {"", "off", "hol", "holiday", "none", "no", "n", "-", "0", "false", "closed", "absent"}
FULL = {"full", "all day", "full day", "allday", "fd", "all"}
ERROR_VALUES = {"#ref!", "#value!", "#div/0!", "#name?", "#n/a", "#num!", "#null!",
                "#spill!", "#calc!", "#getting_data"}


class CellError(ValueError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def norm(text: object) -> str:
    """Header/name matching key: case-folded, trimmed, inner spaces folded, trailing ?/: dropped."""
    s = " ".join(str(text).split()).casefold()
    return s.rstrip("?:").strip()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_not_error(value: object) -> None:
    if isinstance(value, str) and value.strip().casefold() in ERROR_VALUES:
        raise CellError("is a spreadsheet error, not a value",
                        "fix the formula or type the value itself")


def text(value: object) -> str:
    """A trimmed text cell; whole numbers lose Excel's ``.0`` (an ID typed as 12 is '12')."""
    check_not_error(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def invisible(text: str) -> str | None:
    """The first invisible character in ``text`` (zero-width space, joiners, direction marks, soft
    hyphen, byte-order mark, blank letters), named for a manager, or None."""
    for ch in text:
        if unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cn") or ch in INVISIBLE:
            name = unicodedata.name(ch, "").lower() or "an unnamed character"
            return f"{name} (U+{ord(ch):04X})"
    return None


def parse_id(value: object) -> str:
    """An ID: text without invisible characters (two IDs that differ only by one look the same to
    everyone, so they are refused, not taken as two people)."""
    s = text(value)
    found = invisible(s)
    if found:
        raise CellError(f"holds an invisible character, {found}",
                        "retype the ID (copying from a web page or a PDF can bring invisible characters)")
    return s


def text_or_raw(value: object) -> object:
    """For an error message: the cell as text where it can be, else as it is."""
    try:
        return text(value)
    except CellError:
        return value


def parse_yes_no(value: object) -> bool:
    check_not_error(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = text(value).casefold()
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError("is not yes or no", "write yes or no (y, x or ✓ also mean yes; blank means no)")


MAX_NUMBER = 1_000_000  # the largest whole number any cell may hold (a cap, a weight, a count)
MAX_RATIO = 50  # the loosest ratio 1:k read (the loosest statutory one is 1:13)
FIRST_YEAR, LAST_YEAR = 1900, 2199  # the dates a setting can mean; beyond them date arithmetic overflows
INVISIBLE = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e"}  # blank letters, not format characters


def parse_int(value: object, minimum: int = 0, maximum: int = MAX_NUMBER) -> int:
    """A whole number from ``minimum`` to ``maximum``; beyond, a :class:`CellError` (never a number the
    model can't hold)."""
    check_not_error(value)
    if isinstance(value, bool):
        raise CellError("is not a whole number", "type a whole number such as 6")
    number: float
    if isinstance(value, (int, float)):
        number = value
    else:
        try:
            number = float(text(value).replace(",", ""))
        except ValueError:
            raise CellError("is not a whole number", "type a whole number such as 6") from None
    if not math.isfinite(number) or not float(number).is_integer():
        raise CellError("is not a whole number", "type a whole number such as 6")
    if number < minimum:
        raise CellError(f"is below {minimum}", f"type a whole number of at least {minimum}")
    if number > maximum:
        raise CellError(f"is more than {maximum:,}, the most keyperson takes here",
                        f"type a whole number from {minimum} to {maximum:,}")
    return int(number)


EXCEL_EPOCH = datetime(1899, 12, 30)


def parse_date(value: object) -> date:
    """A date from :data:`FIRST_YEAR` to :data:`LAST_YEAR`: a real date, an Excel serial number,
    ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (UK order)."""
    day = _parse_date(value)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CellError(f"is not a date keyperson can plan with (years {FIRST_YEAR} to {LAST_YEAR})",
                        "check the year: write it as DD/MM/YYYY, e.g. 12/02/2025")
    return day


def _parse_date(value: object) -> date:
    check_not_error(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial date whose format was lost
            return (EXCEL_EPOCH + timedelta(days=int(value))).date()
        raise CellError("is not a date", "write it as DD/MM/YYYY, e.g. 12/02/2025")
    s = text(value)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", s)
        if not m:
            raise CellError("is not a date", "write it as DD/MM/YYYY, e.g. 12/02/2025")
        d, mo, y = (int(g) for g in m.groups())
        if y < 100:
            y += 2000
    try:
        return date(y, mo, d)
    except ValueError:
        hint = "write it as DD/MM/YYYY (day first), e.g. 12/02/2025"
        raise CellError("is not a date" + (" (no such day)" if mo <= 12 else ""), hint) from None


DATE_TOKEN = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})")


def parse_date_range(value: object) -> tuple[date, date]:
    """A date, or a range of two (``21/12/2026-01/01/2027``, ``21/12/2026 to 01/01/2027``), as
    (first, last) inclusive."""
    check_not_error(value)
    if not isinstance(value, str):
        day = parse_date(value)
        return day, day
    s = text(value)
    tokens = DATE_TOKEN.findall(s)
    between = DATE_TOKEN.sub(" ", s).replace("to", " ").strip(" -\u2013\u2014")
    hint = "write DD/MM/YYYY, or a range of days as DD/MM/YYYY-DD/MM/YYYY, e.g. 21/12/2026-01/01/2027"
    if len(tokens) not in (1, 2) or between.strip():
        raise CellError("is not a date or a range of dates", hint)
    try:
        first, last = parse_date(tokens[0]), parse_date(tokens[-1])
    except CellError as exc:
        raise CellError(exc.message, hint) from None
    if last < first:
        raise CellError(f"ends before it starts ({last:%d/%m/%Y} is before {first:%d/%m/%Y})",
                        "write the first day, then the last")
    return first, last


def parse_time(value: object) -> time:
    """A time of day: a real time, ``8``, ``8:30``, ``08:30:00``, ``1pm``, or Excel's day fraction."""
    check_not_error(value)
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 <= value < 1:
            minutes = round(value * 24 * 60)
            return time(minutes // 60, minutes % 60)
        if value == int(value) and 0 <= value <= 24:
            return time(int(value) % 24)
        raise CellError("is not a time", "write it as HH:MM, e.g. 08:00")
    s = text(value).casefold().replace(".", ":")
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*(am|pm)?", s)
    if not m:
        raise CellError("is not a time", "write it as HH:MM, e.g. 08:00")
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3) == "pm" and hour < 12:
        hour += 12
    if m.group(3) == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise CellError("is not a time", "write it as HH:MM, e.g. 08:00")
    return time(hour, minute)


def parse_ratio(value: object) -> int:
    """``1:k`` -> k, from 1 to :data:`MAX_RATIO`. Accepts text, a bare k, and the time 01:0k that Excel
    makes of ``1:3``."""
    k = _parse_ratio(value)
    if k > MAX_RATIO:
        raise CellError(f"is looser than 1:{MAX_RATIO}, the loosest ratio keyperson takes",
                        "write it as 1:k, e.g. 1:8 (the loosest statutory ratio is 1:13)")
    return k


def _parse_ratio(value: object) -> int:
    check_not_error(value)
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        if value.hour == 1 and value.minute > 0 and value.second == 0:
            return value.minute
        raise CellError("is not a ratio", "write it as 1:k, e.g. 1:3 (format the column as Text)")
    if isinstance(value, float) and 0 < value < 1:  # a time whose format was lost
        minutes = round(value * 24 * 60)
        if minutes // 60 == 1 and minutes % 60:
            return minutes % 60
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 1:
            return int(value)
        raise CellError("is not a ratio", "write it as 1:k, e.g. 1:3")
    m = re.fullmatch(r"1\s*[:/]\s*(\d+)|(\d+)", text(value))
    if not m:
        raise CellError("is not a ratio", "write it as 1:k, e.g. 1:3")
    k = int(m.group(1) or m.group(2))
    if k < 1:
        raise CellError("is not a ratio", "the second number must be at least 1, e.g. 1:3")
    return k


def parse_choice(value: object, choices: dict[str, str], what: str) -> str:
    check_not_error(value)
    key = norm(text(value))
    if key in choices:
        return choices[key]
    shown = sorted({v for k, v in choices.items() if k})
    raise CellError(f"is not a {what}", "use one of " + ", ".join(shown))


def parse_list(value: object) -> tuple[str, ...]:
    s = text(value)
    parts = re.split(r"[,;/]|\band\b", s)
    return tuple(p.strip() for p in parts if p.strip() and p.strip().casefold() not in ("english", "none"))


def minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def parse_time_range(s: str) -> tuple[int, int] | None:
    """``08:00-13:00``, ``7:30-18``, ``9-3`` (the end read as pm), ``9am-3pm`` -> minutes, or None."""
    m = re.fullmatch(r"\s*([\d:.]+\s*(?:am|pm)?)\s*(?:-|–|—|to)\s*([\d:.]+\s*(?:am|pm)?)\s*", s.casefold())
    if not m:
        return None
    try:
        start, end = minutes(parse_time(m.group(1))), minutes(parse_time(m.group(2)))
    except CellError:
        return None
    if end <= start and end < 12 * 60 and "am" not in m.group(2) and "pm" not in m.group(2):
        end += 12 * 60  # "9-3", "8-1": the end is in the afternoon
    if end <= start:
        return None
    return start, end
