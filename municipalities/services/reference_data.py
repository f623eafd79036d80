"""Load the CBS municipality list: check the whole file first, then write it in one transaction.

The file is the truth for codes, names, provinces and population. A municipality that leaves the
list must be explained by a merger; it is then dissolved, keeping its row, page and organisation.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from municipalities.models import Municipality, Organisation, Province
from municipalities.models.organisation import RESERVED_ORGANISATION_SLUGS, OrganisationKind, OrganisationStatus
from municipalities.services.reference_files import (
    SLUG_MAX_LENGTH,
    MergerRecord,
    MunicipalityRecord,
    parse_mergers_file,
    parse_municipalities_file,
    province_slug,
)
from samenorg.accounts.models import User

# Any number will do, as long as no other code takes the same advisory lock for something else.
LOAD_LOCK_ID = 3_420_001


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dissolved: int = 0
    provinces_created: int = 0
    provinces_updated: int = 0
    provinces_unchanged: int = 0
    mergers_skipped: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.dissolved or self.provinces_created or self.provinces_updated)

    def summary(self) -> str:
        if not self.changed:
            return _(
                "Nothing to change: %(municipalities)d municipalities and %(provinces)d provinces are up to date."
            ) % {"municipalities": self.unchanged, "provinces": self.provinces_unchanged}
        text = _(
            "Municipalities: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(dissolved)d dissolved; provinces: %(provinces_created)d created, %(provinces_updated)d updated."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dissolved": self.dissolved,
            "provinces_created": self.provinces_created,
            "provinces_updated": self.provinces_updated,
        }
        if self.mergers_skipped:
            text += " " + _("%(count)d merger(s) skipped: the old municipality was never loaded.") % {
                "count": self.mergers_skipped
            }
        return text


def municipalities_load(*, municipalities_file: Path, mergers_file: Path | None, actor: User | None) -> LoadResult:
    """Create or update provinces, municipalities and their organisations from the files; apply mergers.

    ``actor`` is None when an operator runs the management command; a user must be a superuser.
    Raises ValidationError (every message names file and line) and writes nothing when a file is wrong.
    """
    if actor is not None and not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Only an administrator may load the municipality list."))
    records = parse_municipalities_file(municipalities_file)
    mergers = (
        parse_mergers_file(mergers_file, records, source=municipalities_file.name) if mergers_file is not None else []
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Two loads at once would both create the same rows; the second waits for the first.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOAD_LOCK_ID])
        return _write(records, mergers, municipalities_file.name, mergers_file.name if mergers_file else "")


def _write(
    records: Sequence[MunicipalityRecord], mergers: Sequence[MergerRecord], source: str, mergers_source: str
) -> LoadResult:
    result = LoadResult()
    existing = {m.code: m for m in Municipality.objects.select_related("organisation")}
    listed = {record.code for record in records}
    dissolving = {merger.old_code for merger in mergers}
    dropped = sorted(
        (m for code, m in existing.items() if code not in listed and code not in dissolving and m.dissolved_on is None),
        key=lambda m: m.code,
    )
    if dropped:
        raise ValidationError(
            _(
                "%(file)s no longer lists %(municipalities)s, but no merger in %(mergers)s dissolves them. "
                "Add the merger, or restore the line."
            )
            % {
                "file": source,
                "municipalities": ", ".join(f"{m.code} ({m.name})" for m in dropped),
                "mergers": mergers_source or _("a mergers file"),
            }
        )

    provinces = _write_provinces(records, result)
    slugs = _municipality_slugs(records, existing)

    new_municipalities: list[Municipality] = []
    changed_municipalities: list[Municipality] = []
    new_organisations: list[Organisation] = []
    changed_organisations: list[Organisation] = []
    for record in records:
        slug = slugs[record.code]
        province = provinces[record.province_code]
        municipality = existing.get(record.code)
        if municipality is None:
            municipality = Municipality(
                code=record.code, name=record.name, slug=slug, province=province, population=record.population
            )
            new_municipalities.append(municipality)
            existing[record.code] = municipality
            result.created += 1
            continue
        wanted = {
            "name": record.name,
            "slug": slug,
            "province_id": province.pk,
            "population": record.population,
            "dissolved_on": None,
            "successor_id": None,
        }
        changed = {name for name, value in wanted.items() if getattr(municipality, name) != value}
        for name in changed:
            setattr(municipality, name, wanted[name])
        if changed:
            changed_municipalities.append(municipality)
        organisation = getattr(municipality, "organisation", None)
        if organisation is None:
            new_organisations.append(_municipal_organisation(municipality))
            changed = changed or {"organisation"}
        elif (organisation.name, organisation.slug) != (f"Gemeente {record.name}", slug):
            organisation.name, organisation.slug = f"Gemeente {record.name}", slug
            changed_organisations.append(organisation)
            changed = changed or {"organisation"}
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1

    _save_with_slugs(
        Municipality, changed_municipalities, ["name", "slug", "province", "population", "dissolved_on", "successor"]
    )
    _save_with_slugs(Organisation, changed_organisations, ["name", "slug"])
    Municipality.objects.bulk_create(new_municipalities)
    new_organisations += [_municipal_organisation(m) for m in new_municipalities]
    Organisation.objects.bulk_create(new_organisations)
    _apply_mergers(mergers, existing, result)
    return result


def _apply_mergers(mergers: Sequence[MergerRecord], existing: dict[str, Municipality], result: LoadResult) -> None:
    """Dissolve every merged municipality that was ever loaded, naming its successor.

    In a chain (A into B, later B into C) A's successor is B. Should B never have been loaded, it is
    the next municipality along the chain that was: the parser made sure the chain ends at a listed one.
    """
    successor_codes = {merger.old_code: merger.new_code for merger in mergers}
    dissolved: list[Municipality] = []
    for merger in mergers:
        old = existing.get(merger.old_code)
        if old is None:
            result.mergers_skipped += 1
            continue
        code = merger.new_code
        while code not in existing:
            code = successor_codes[code]
        successor = existing[code]
        if old.dissolved_on != merger.date or old.successor_id != successor.pk:
            old.dissolved_on, old.successor = merger.date, successor
            dissolved.append(old)
    Municipality.objects.bulk_update(dissolved, ["dissolved_on", "successor"])
    result.dissolved = len(dissolved)


def _write_provinces(records: Sequence[MunicipalityRecord], result: LoadResult) -> dict[str, Province]:
    provinces = {province.code: province for province in Province.objects.all()}
    names = {record.province_code: record.province_name for record in records}
    unlisted_slugs = {province.slug: code for code, province in provinces.items() if code not in names}
    new: list[Province] = []
    changed: list[Province] = []
    for code, name in names.items():
        slug = province_slug(code, name)
        if slug in unlisted_slugs:
            raise ValidationError(
                _('Province %(code)s "%(name)s" would get the web address of province %(other)s.')
                % {"code": code, "name": name, "other": unlisted_slugs[slug]}
            )
        province = provinces.get(code)
        if province is None:
            provinces[code] = Province(code=code, name=name, slug=slug)
            new.append(provinces[code])
        elif (province.name, province.slug) != (name, slug):
            province.name, province.slug = name, slug
            changed.append(province)
        else:
            result.provinces_unchanged += 1
    _save_with_slugs(Province, changed, ["name", "slug"])
    Province.objects.bulk_create(new)
    result.provinces_created, result.provinces_updated = len(new), len(changed)
    return provinces


def _municipality_slugs(records: Sequence[MunicipalityRecord], existing: dict[str, Municipality]) -> dict[str, str]:
    """A unique slug per listed code, from the name; ``-gm0000`` is appended where the name is taken.

    Municipal organisations share the municipality's slug, so partner organisations' slugs, and those
    of dissolved municipalities (which keep their pages), are taken. A municipality keeps its slug as
    long as it still fits its name, so pages do not move when another municipality arrives.
    """
    listed = {record.code for record in records}
    taken = set(RESERVED_ORGANISATION_SLUGS)
    taken |= {m.slug for code, m in existing.items() if code not in listed}
    taken |= {
        slug
        for slug, code in Organisation.objects.values_list("slug", "municipality__code")
        if code is None or code not in listed
    }

    def candidates(record: MunicipalityRecord) -> tuple[str, str]:
        suffix = f"-{record.code.lower()}"
        base = slugify(record.name)[:SLUG_MAX_LENGTH] or record.code.lower()
        return base, base[: SLUG_MAX_LENGTH - len(suffix)] + suffix

    slugs: dict[str, str] = {}
    for record in records:
        current = existing.get(record.code)
        if current is not None and current.slug in candidates(record) and current.slug not in taken:
            slugs[record.code] = current.slug
            taken.add(current.slug)
    for record in sorted(records, key=lambda r: r.code):
        if record.code not in slugs:
            base, with_code = candidates(record)
            slugs[record.code] = base if base not in taken else with_code
            taken.add(slugs[record.code])
    return slugs


def _save_with_slugs(model: type[Province | Municipality | Organisation], objects: list, fields: list[str]) -> None:
    """Save changed rows; slugs first move aside, so two rows may swap or pass on a slug."""
    if not objects:
        return
    final_slugs = [obj.slug for obj in objects]
    for obj in objects:
        obj.slug = f"renaming-{obj.pk}-{model._meta.model_name}"
    model.objects.bulk_update(objects, ["slug"])
    for obj, slug in zip(objects, final_slugs, strict=True):
        obj.slug = slug
    model.objects.bulk_update(objects, fields)


def _municipal_organisation(municipality: Municipality) -> Organisation:
    return Organisation(
        kind=OrganisationKind.MUNICIPALITY,
        municipality=municipality,
        name=f"Gemeente {municipality.name}",
        slug=municipality.slug,
        status=OrganisationStatus.ACTIVE,
    )
