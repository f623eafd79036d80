"""Reading and checking the reference files: every problem is reported with its line, nothing is written."""

import contextlib
import csv
import datetime
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_MUNICIPALITIES_FILE = DATA_DIR / "gemeenten.csv"
DEFAULT_MERGERS_FILE = DATA_DIR / "mergers.csv"

MUNICIPALITY_HEADER = ("code", "name", "province_code", "province_name", "population")
MERGER_HEADER = ("old_code", "new_code", "date")
MUNICIPALITY_CODE = re.compile(r"GM[0-9]{4}")
PROVINCE_CODE = re.compile(r"PV[0-9]{2}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The limits of the model fields (Municipality.name, Province.name and their slugs); a longer
# value would make the database refuse the row mid-write, without saying which line it came from.
NAME_MAX_LENGTH = 100
PROVINCE_NAME_MAX_LENGTH = 100
SLUG_MAX_LENGTH = 100
# Municipality.population is a PositiveIntegerField: a PostgreSQL integer.
POPULATION_MAX = 2_147_483_647
MAX_REPORTED_ERRORS = 25


@dataclass(frozen=True)
class MunicipalityRecord:
    line: int
    code: str
    name: str
    province_code: str
    province_name: str
    population: int | None


@dataclass(frozen=True)
class MergerRecord:
    line: int
    old_code: str
    new_code: str
    date: datetime.date


@dataclass
class _Problems:
    """Collects what is wrong with a file, so one run reports every problem, each with its line."""

    source: str
    found: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: int, problem: str) -> None:
        self.found.append(
            (line, _("%(file)s, line %(line)d: %(problem)s") % {"file": self.source, "line": line, "problem": problem})
        )

    def raise_if_any(self) -> None:
        """Raise the problems in line order, also those found in a later pass over the file."""
        if self.found:
            messages = [message for line, message in sorted(self.found, key=lambda problem: problem[0])]
            shown = messages[:MAX_REPORTED_ERRORS]
            if len(messages) > MAX_REPORTED_ERRORS:
                shown.append(_("… and %(count)d more problems.") % {"count": len(messages) - MAX_REPORTED_ERRORS})
            raise ValidationError(shown)


def province_slug(code: str, name: str) -> str:
    """The province's web address: its name as a slug, cut to fit, or its code for a name without letters."""
    return slugify(name)[:SLUG_MAX_LENGTH] or code.lower()


def _read_rows(path: Path, header: tuple[str, ...], problems: _Problems) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, stripped fields) for every non-blank data row whose column count is right."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(_("%(file)s does not exist.") % {"file": path}) from None
    except UnicodeDecodeError:
        raise ValidationError(_("%(file)s is not a UTF-8 text file.") % {"file": path}) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        found = next(reader, None)
        if found is None or tuple(cell.strip() for cell in found) != header:
            problems.add(
                reader.line_num or 1,
                _("the header must be %(expected)s, found %(found)s")
                % {"expected": ",".join(header), "found": ",".join(found or []) or _("nothing")},
            )
            problems.raise_if_any()
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.add(
                    reader.line_num,
                    _("expected %(expected)d columns (%(columns)s), found %(found)d")
                    % {"expected": len(header), "columns": ",".join(header), "found": len(row)},
                )
                continue
            if any("\x00" in cell for cell in row):
                # PostgreSQL text cannot hold a NUL character.
                problems.add(reader.line_num, _("the line contains a NUL character"))
                continue
            yield reader.line_num, [cell.strip() for cell in row]
    except csv.Error as error:
        problems.add(reader.line_num, _("not valid CSV (%(error)s)") % {"error": error})


def parse_municipalities_file(path: Path) -> list[MunicipalityRecord]:
    """Every row of the municipality file, or a ValidationError naming each bad line."""
    problems = _Problems(source=path.name)
    records: list[MunicipalityRecord] = []
    first_line_of_code: dict[str, int] = {}
    province_names: dict[str, tuple[str, int]] = {}
    province_codes: dict[str, tuple[str, int]] = {}
    province_slugs: dict[str, tuple[str, int]] = {}
    for line, (code, name, province_code, province_name, population_text) in _read_rows(
        path, MUNICIPALITY_HEADER, problems
    ):
        valid = True
        if not MUNICIPALITY_CODE.fullmatch(code):
            problems.add(line, _('"%(code)s" is not a municipality code like GM0344') % {"code": code})
            valid = False
        elif code in first_line_of_code:
            problems.add(
                line,
                _("code %(code)s already appears on line %(line)d") % {"code": code, "line": first_line_of_code[code]},
            )
            valid = False
        else:
            first_line_of_code[code] = line
        if not name:
            problems.add(line, _("the municipality name is empty"))
            valid = False
        elif len(name) > NAME_MAX_LENGTH:
            problems.add(line, _("the name is longer than %(max)d characters") % {"max": NAME_MAX_LENGTH})
            valid = False
        if not PROVINCE_CODE.fullmatch(province_code):
            problems.add(line, _('"%(code)s" is not a province code like PV26') % {"code": province_code})
            valid = False
        elif not province_name:
            problems.add(line, _("the province name is empty"))
            valid = False
        elif len(province_name) > PROVINCE_NAME_MAX_LENGTH:
            problems.add(
                line, _("the province name is longer than %(max)d characters") % {"max": PROVINCE_NAME_MAX_LENGTH}
            )
            valid = False
        elif not _check_province(line, province_code, province_name, province_names, province_codes, problems):
            valid = False
        else:
            first_code, first_line = province_slugs.setdefault(
                province_slug(province_code, province_name), (province_code, line)
            )
            if first_code != province_code:
                problems.add(
                    line,
                    _('province "%(name)s" gets the same web address as province %(other)s on line %(line)d')
                    % {"name": province_name, "other": first_code, "line": first_line},
                )
                valid = False
        population: int | None = None
        if population_text:
            population = _population(line, population_text, problems)
            valid = valid and population is not None
        if valid:
            records.append(MunicipalityRecord(line, code, name, province_code, province_name, population))
    if not records and not problems.found:
        problems.add(1, _("the file lists no municipalities"))
    problems.raise_if_any()
    return records


def _population(line: int, text: str, problems: _Problems) -> int | None:
    """The number of inhabitants, or None after reporting why it is not one the database can store."""
    if not (text.isascii() and text.isdigit()):
        problems.add(line, _('population "%(value)s" is not a whole number') % {"value": text})
        return None
    digits = text.lstrip("0") or "0"
    # Compare the length first: int() refuses strings of more than 4,300 digits.
    if len(digits) > len(str(POPULATION_MAX)) or int(digits) > POPULATION_MAX:
        problems.add(line, _('population "%(value)s" is larger than %(max)d') % {"value": text, "max": POPULATION_MAX})
        return None
    return int(digits)


def _check_province(
    line: int,
    code: str,
    name: str,
    names: dict[str, tuple[str, int]],
    codes: dict[str, tuple[str, int]],
    problems: _Problems,
) -> bool:
    """One name per province code and one code per province name, throughout the file."""
    first_name, name_line = names.setdefault(code, (name, line))
    if first_name != name:
        problems.add(
            line,
            _('province %(code)s is called "%(name)s" here but "%(first)s" on line %(line)d')
            % {"code": code, "name": name, "first": first_name, "line": name_line},
        )
        return False
    first_code, code_line = codes.setdefault(name, (code, line))
    if first_code != code:
        problems.add(
            line,
            _('province "%(name)s" has code %(code)s here but %(first)s on line %(line)d')
            % {"name": name, "code": code, "first": first_code, "line": code_line},
        )
        return False
    return True


def parse_mergers_file(path: Path, municipalities: Sequence[MunicipalityRecord], source: str) -> list[MergerRecord]:
    """Every merger, checked against the municipality list and against the other mergers.

    The old code is not in the list. The successor is, or it is itself dissolved by a later-dated
    merger in the same file (A into B in 2019, B into C in 2023): every chain then runs forward in
    time, so it has no cycle and ends at a listed municipality.
    """
    problems = _Problems(source=path.name)
    listed = {record.code for record in municipalities}
    dissolutions: dict[str, MergerRecord] = {}
    for line, (old_code, new_code, date_text) in _read_rows(path, MERGER_HEADER, problems):
        valid = True
        for code in (old_code, new_code):
            if not MUNICIPALITY_CODE.fullmatch(code):
                problems.add(line, _('"%(code)s" is not a municipality code like GM0344') % {"code": code})
                valid = False
        date: datetime.date | None = None
        if ISO_DATE.fullmatch(date_text):
            with contextlib.suppress(ValueError):
                date = datetime.date.fromisoformat(date_text)
        if date is None:
            problems.add(line, _('"%(value)s" is not a date like 2027-01-01') % {"value": date_text})
            valid = False
        if not valid or date is None:
            continue
        if old_code == new_code:
            problems.add(line, _("%(code)s cannot merge into itself") % {"code": old_code})
        elif old_code in dissolutions:
            problems.add(
                line,
                _("%(code)s is already dissolved on line %(line)d")
                % {"code": old_code, "line": dissolutions[old_code].line},
            )
        elif old_code in listed:
            problems.add(
                line, _("%(code)s is dissolved here but still listed in %(file)s") % {"code": old_code, "file": source}
            )
        else:
            dissolutions[old_code] = MergerRecord(line, old_code, new_code, date)
    for merger in dissolutions.values():
        _check_successor(merger, listed, dissolutions, source, problems)
    problems.raise_if_any()
    return list(dissolutions.values())


def _check_successor(
    merger: MergerRecord, listed: set[str], dissolutions: dict[str, MergerRecord], source: str, problems: _Problems
) -> None:
    """The successor is listed, or dissolved by another merger dated after this one."""
    if merger.new_code in listed:
        return
    successor_dissolved = dissolutions.get(merger.new_code)
    if successor_dissolved is None:
        problems.add(
            merger.line, _("the successor %(code)s is not in %(file)s") % {"code": merger.new_code, "file": source}
        )
        return
    if successor_dissolved.date > merger.date:
        return
    chain, code = [merger.old_code], merger.new_code
    while code not in chain and code in dissolutions:
        chain.append(code)
        code = dissolutions[code].new_code
    if code == merger.old_code:
        problems.add(
            merger.line,
            _("%(code)s merges back into itself: %(chain)s")
            % {"code": merger.old_code, "chain": " → ".join([*chain, code])},
        )
    else:
        problems.add(
            merger.line,
            _(
                "the successor %(code)s is dissolved on %(date)s (line %(line)d), "
                "so it cannot take over on %(merger_date)s"
            )
            % {
                "code": merger.new_code,
                "date": successor_dissolved.date.isoformat(),
                "line": successor_dissolved.line,
                "merger_date": merger.date.isoformat(),
            },
        )
