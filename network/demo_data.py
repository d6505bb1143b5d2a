"""The demo content files that ``manage.py seed_demo`` loads.

Each app keeps its demo content as data, TOML files in ``<app>/demo/`` (read
by the standard library's ``tomllib``), and ``<app>/demo/__init__.py`` turns
each row into a call to the app's services. This module reads a file and
checks every row against the ``Table`` the app declares for it: unknown or
missing keys and bad values fail with the file, the table, the row and the key
at fault, before anything is written. A table backed by a ``model`` takes any
of its concrete fields (checked by the field itself), so a field added to the
model, such as a translated ``summary_en``, can be given with no change here. A
``translated`` table also takes, for each other content language, a sub-table
(``[pages.en]``) of the fields of the row's translation, checked the same way.

Dates stay relative to the day the demo is seeded (``moment``), so the demo
always shows upcoming events.
"""

import datetime
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DemoDataError(ValueError):
    """A demo file that does not hold what its loader expects."""


@dataclass(frozen=True)
class Table:
    """What one table of a demo file holds: ``[[name]]`` rows, or one ``[name]`` if not ``many``.

    ``keys`` maps each key that is not a model field to a converter (value -> Python value,
    raising ``ValueError``, ``TypeError`` or ``ValidationError``). ``model`` (a model class,
    or a function of the raw row giving one) admits its concrete fields too. ``label`` is the
    key that names a row in error messages. ``translated`` admits a sub-table named by each other
    content language (``en``): the fields of the row's translation, checked as the row's own.
    """

    name: str
    keys: Mapping[str, Callable] = field(default_factory=dict)
    required: tuple = ()
    model: object = None
    many: bool = True
    label: str = "slug"
    translated: bool = False

    def convert(self, row, where):
        if not isinstance(row, dict):
            raise DemoDataError(f"{where}: a table was expected, not {row!r}")
        model = self.model
        if callable(model) and not _is_model(model):
            try:
                model = model(row)
            except (LookupError, ValueError, TypeError) as error:
                raise DemoDataError(f"{where}: {error}") from None
        fields = _model_fields(model) if model is not None else {}
        languages = translation_languages() if self.translated and model is not None else ()
        converted = {}
        for key, value in row.items():
            if key in languages:
                translation = Table(f"{self.name}.{key}", model=model, many=False)
                converted[key] = translation.convert(value, f"{where}, [{translation.name}]")
                continue
            convert = self.keys.get(key) or fields.get(key)
            if convert is None:
                if languages and isinstance(value, dict):  # a sub-table: meant as a translation
                    known = ", ".join(languages)
                    raise DemoDataError(f"{where}: unknown key {key!r} (translations: {known})")
                close = get_close_matches(key, [*self.keys, *fields, *languages], n=1)
                raise DemoDataError(f"{where}: unknown key {key!r}" + (f" ({close[0]}?)" if close else ""))
            try:
                converted[key] = convert(value)
            except DemoDataError as error:
                raise DemoDataError(f"{where}, {key}: {error}") from None
            except ValidationError as error:
                raise DemoDataError(f"{where}, {key}: {' '.join(error.messages)} ({value!r})") from None
            except (ValueError, TypeError, KeyError) as error:
                raise DemoDataError(f"{where}, {key}: {error} ({value!r})") from None
        for key in self.required:
            if key not in row:
                raise DemoDataError(f"{where}: the key {key!r} is missing")
        return converted


def read(path, *tables):
    """``{table name: rows}`` (a dict for a single table) of the TOML file at ``path``, converted."""
    path = Path(path)
    shown = display_path(path)
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DemoDataError(f"{shown}: {error}") from None
    known = {table.name: table for table in tables}
    for name in data:
        if name not in known:
            raise DemoDataError(f"{shown}: unknown table {name!r} (expected: {', '.join(known)})")
    result = {}
    for table in tables:
        value = data.get(table.name, [] if table.many else {})
        if not table.many:
            result[table.name] = table.convert(value, f"{shown}, [{table.name}]")
            continue
        if not isinstance(value, list):
            raise DemoDataError(f"{shown}: {table.name} must be an array of tables ([[{table.name}]])")
        rows = []
        for number, row in enumerate(value, 1):
            name = row.get(table.label) if isinstance(row, dict) else None
            where = f"{shown}, [[{table.name}]] #{number}" + (f" ({name})" if name else "")
            rows.append(table.convert(row, where))
        result[table.name] = rows
    return result


def translation_languages():
    """The content languages other than the site's own: those a demo row may be translated into."""
    return tuple(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != settings.LANGUAGE_CODE)


def untranslated_fields(instance, fields):
    """The translated fields (``summary_en``, ``title_en``...) of ``fields`` that ``instance`` leaves
    empty: what a page seeded before its data file had them still lacks."""
    suffixes = tuple(f"_{code}" for code in translation_languages())
    return {
        name: value
        for name, value in fields.items()
        if name.endswith(suffixes) and not getattr(instance, name)
    }


def display_path(path):
    """``path`` relative to the project, as errors and reports name it."""
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def _is_model(value):
    return isinstance(value, type) and issubclass(value, models.Model)


@cache
def _model_fields(model):
    """Converters for the concrete, non-relational fields of ``model`` (the field cleans the value)."""
    converters = {}
    for model_field in model._meta.concrete_fields:
        if model_field.is_relation or model_field.auto_created:
            continue
        stream_block = getattr(model_field, "stream_block", None)
        if stream_block is not None:
            converters[model_field.name] = stream_of(stream_block)
        else:
            converters[model_field.name] = _cleaner(model_field)
    return converters


def _cleaner(model_field):
    def clean(value):
        return model_field.clean(value, None)

    return clean


# -- converters --------------------------------------------------------------------------------


def text(value):
    if not isinstance(value, str):
        raise TypeError("a string was expected")
    return value


def texts(value):
    if not isinstance(value, list):
        raise TypeError("a list of strings was expected")
    return [text(item) for item in value]


def integer(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("an integer was expected")
    return value


def flag(value):
    if not isinstance(value, bool):
        raise TypeError("true or false was expected")
    return value


def one_of(*choices):
    def convert(value):
        if value not in choices:
            raise ValueError(f"one of {', '.join(map(str, choices))} was expected")
        return value

    return convert


def insee_code(value):
    if not re.fullmatch(r"\d[\dAB]\d{3}", text(value)):
        raise ValueError("a commune's INSEE code (five characters) was expected")
    return value


def illustration(value):
    """The name of one of the project's illustrations (network/static/img/illustrations)."""
    from network.illustrations import NAMES

    if value not in NAMES:
        raise ValueError(f"no illustration of that name (expected: {', '.join(sorted(NAMES))})")
    return value


def rows(table):
    """A list of inline tables, each checked by ``table``."""

    def convert(value):
        if not isinstance(value, list):
            raise TypeError("a list of tables was expected")
        return [table.convert(row, f"#{number}") for number, row in enumerate(value, 1)]

    return convert


def row(table):
    """One inline table, checked by ``table``."""
    return lambda value: table.convert(value, table.name)


def stream_of(stream_block):
    """A StreamField's value: a list of ``{ block_type = value }`` tables."""
    names = set(stream_block.child_blocks)

    def convert(value):
        if not isinstance(value, list):
            raise TypeError("a list of blocks was expected")
        blocks = []
        for number, block in enumerate(value, 1):
            if not isinstance(block, dict) or len(block) != 1 or next(iter(block)) not in names:
                raise DemoDataError(f"block #{number}: one key among {', '.join(sorted(names))} was expected")
            blocks.extend(block.items())
        return blocks

    return convert


def clock(value):
    """``"HH:MM"`` -> a time."""
    if not re.fullmatch(r"\d\d:\d\d", text(value)):
        raise ValueError('a time "HH:MM" was expected')
    return datetime.time.fromisoformat(value)


def weekday(value):
    if value not in DAYS:
        raise ValueError(f"a day among {', '.join(DAYS)} was expected")
    return DAYS.index(value)


HOURS = re.compile(r"(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))? (?P<opens>\d\d:\d\d)-(?P<closes>\d\d:\d\d)")


def weekly_hours(value):
    """``["mon-fri 09:00-18:00", "sat 10:00-17:00"]`` -> ``[{weekday, opens, closes}, ...]``, day by day."""
    result = []
    for entry in texts(value):
        match = HOURS.fullmatch(entry)
        if match is None:
            raise ValueError(f'{entry!r}: "mon-fri 09:00-18:00" or "sat 10:00-17:00" was expected')
        first = weekday(match["first"])
        last = weekday(match["last"] or match["first"])
        opens, closes = clock(match["opens"]), clock(match["closes"])
        if last < first or closes <= opens:
            raise ValueError(f"{entry!r}: the days or the hours are in the wrong order")
        result.extend({"weekday": day, "opens": opens, "closes": closes} for day in range(first, last + 1))
    return result


def duration(value):
    """``"H:MM"`` -> a timedelta."""
    match = re.fullmatch(r"(\d+):([0-5]\d)", text(value))
    if match is None:
        raise ValueError('a duration "H:MM" was expected')
    return datetime.timedelta(hours=int(match[1]), minutes=int(match[2]))


MOMENT = Table(
    "moment",
    keys={"days_from_today": integer, "weekday": weekday, "at": clock},
    required=("days_from_today", "at"),
)


def moment(value):
    """``{ days_from_today = N, weekday = "thu", at = "18:30" }`` -> an aware datetime: today + N
    days (N < 0 in the past), moved on to the first such weekday if one is given."""
    spec = MOMENT.convert(value, "moment")
    return relative_datetime(spec["days_from_today"], spec["at"], weekday=spec.get("weekday"))


def relative_datetime(days_from_today, at, *, weekday=None):
    day = timezone.localdate() + datetime.timedelta(days=days_from_today)
    if weekday is not None:
        day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
    return timezone.make_aware(datetime.datetime.combine(day, at))
