"""Adding the next cycle from the previous one (docs/DOMAIN.md, "Cycles"), for superusers.

A new round keeps most of the previous one: its tatanan set and selection, scale values, tier
rules and the national catalogue (indicators with their scale options and evidence
requirements, kelembagaan items with theirs). ``cycle_create_from`` copies all of it in one
transaction, shifting the data years, so that the next instrument can be imported over it (the
importer updates in place) or the round run on the copy until that instrument is published.
A kabupaten's local indicators stay with their own cycle.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption

CYCLE_FIELDS = ("tatanan_set_id", "tatanan_selection", "scale_values", "correction_window_hours")
RULE_FIELDS = (
    "tier",
    "rank",
    "method",
    "odf_min_percent",
    "score_min",
    "score_max",
    "aggregation",
    "min_tatanan_count",
    "kecamatan_coverage_min_percent",
    "kecamatan_coverage_max_percent",
    "requires_kelembagaan",
    "extra_requirements",
)
INDICATOR_FIELDS = (
    "tatanan_id",
    "number",
    "order",
    "name",
    "definisi_operasional",
    "sumber_data",
    "bukti_dukung",
    "scale_text",
    "requirements_edited",
    "weight",
    "responsible_opd",
    "target",
)
ITEM_FIELDS = ("component", "item", "order", "text", "sumber_data", "bukti_dukung", "scale_text", "requirements_edited")
OPTION_FIELDS = ("value", "description", "order")
REQUIREMENT_FIELDS = ("description", "year_scope", "count", "order", "derived")


def next_award_year(source: Cycle | None) -> int | None:
    """The award year after ``source``: rounds come every two years."""
    return source.award_year + 2 if source else None


def _copy(obj, fields, **extra):
    return type(obj)(**{name: getattr(obj, name) for name in fields}, **extra)


@transaction.atomic
def cycle_create_from(
    *,
    source: Cycle,
    award_year: int,
    actor: User,
    first_data_year: int | None = None,
    last_data_year: int | None = None,
    guideline_reference: str = "",
) -> Cycle:
    """A new cycle ``award_year`` with the rules and catalogue of ``source``; or, when cycle
    ``award_year`` exists without a catalogue (2027 until its instrument), that cycle with the
    catalogue of ``source`` (its own rules and data years stay; ``_fill_empty_cycle``).

    Data years default to those of ``source`` moved by the years between the two awards;
    requirements bound to one data year move with them. Superusers only."""
    if not (actor.is_authenticated and actor.is_active and actor.is_superuser):
        raise PermissionDenied
    existing = Cycle.objects.filter(award_year=award_year).first()
    if existing is not None:
        return _fill_empty_cycle(source=source, cycle=existing)
    shift = award_year - source.award_year
    first = first_data_year if first_data_year is not None else source.first_data_year + shift
    last = last_data_year if last_data_year is not None else source.last_data_year + shift
    if first > last:
        raise ValidationError({"first_data_year": _("Tahun data pertama harus sebelum tahun data terakhir.")})
    if last >= award_year:
        raise ValidationError({"last_data_year": _("Tahun data harus sebelum tahun penghargaan.")})
    cycle = _copy(
        source,
        CYCLE_FIELDS,
        award_year=award_year,
        first_data_year=first,
        last_data_year=last,
        guideline_reference=guideline_reference or _("Disalin dari Swasti Saba %(year)s") % {"year": source.award_year},
    )
    cycle.full_clean()
    cycle.save()
    for rule in source.tier_rules.all():
        _copy(rule, RULE_FIELDS, cycle=cycle).save()
    _copy_catalogue(source=source, cycle=cycle)
    return cycle


def _fill_empty_cycle(*, source: Cycle, cycle: Cycle) -> Cycle:
    """A cycle that exists but has no catalogue yet (2027 ships so, until its instrument is out)
    gets the catalogue of ``source``; its own rules and data years stay. Any other existing cycle
    is refused."""
    if cycle.pk == source.pk:
        raise ValidationError({"award_year": _("Pilih tahun penghargaan yang lain dari siklus asal.")})
    has_catalogue = Indicator.objects.filter(cycle=cycle, is_local=False).exists() or cycle.kelembagaan_items.exists()
    if has_catalogue or cycle.assessments.exists():
        raise ValidationError(
            {
                "award_year": _(
                    "Siklus Swasti Saba %(year)s sudah ada dan sudah punya katalog atau penilaian; ubah di admin "
                    "atau impor instrumennya."
                )
                % {"year": cycle.award_year}
            }
        )
    if cycle.tatanan_set_id != source.tatanan_set_id:
        raise ValidationError(
            {
                "source": _("Siklus asal memakai himpunan tatanan lain dari Swasti Saba %(year)s.")
                % {"year": cycle.award_year}
            }
        )
    _copy_catalogue(source=source, cycle=cycle)
    return cycle


def _copy_catalogue(*, source: Cycle, cycle: Cycle) -> None:
    """The national indicators and kelembagaan items of ``source`` with their scales and evidence
    requirements, into ``cycle``; requirements bound to a data year move with the data years."""
    year_shift = cycle.first_data_year - source.first_data_year

    def requirements_of(owner, **link):
        return [
            _copy(
                requirement,
                REQUIREMENT_FIELDS,
                data_year=requirement.data_year + year_shift if requirement.data_year is not None else None,
                **link,
            )
            for requirement in owner.evidence_requirements.all()
        ]

    options: list[ScaleOption] = []
    requirements: list[EvidenceRequirement] = []
    indicators = Indicator.objects.filter(cycle=source, is_local=False).prefetch_related(
        "scale_options", "evidence_requirements"
    )
    for old in indicators:
        new = _copy(old, INDICATOR_FIELDS, cycle=cycle)
        new.save()
        options += [
            _copy(option, OPTION_FIELDS, indicator=new) for option in old.scale_options.all() if not option.retired
        ]
        requirements += requirements_of(old, indicator=new)
    for old in KelembagaanItem.objects.filter(cycle=source).prefetch_related("scale_options", "evidence_requirements"):
        new = _copy(old, ITEM_FIELDS, cycle=cycle)
        new.save()
        options += [
            _copy(option, OPTION_FIELDS, kelembagaan_item=new)
            for option in old.scale_options.all()
            if not option.retired
        ]
        requirements += requirements_of(old, kelembagaan_item=new)
    ScaleOption.objects.bulk_create(options)
    EvidenceRequirement.objects.bulk_create(requirements)
