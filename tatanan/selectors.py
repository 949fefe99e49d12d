"""Reads of the catalogue, for pages and (later) the API.

The official instrument is public, so every logged-in user reads the national catalogue.
Local indicators (``is_local``) belong to one kabupaten/kota and go through the portal's one
access-scope mechanism (``accounts.selectors.scope_of``): a user sees those of the regions in
their scope. Importing the official catalogue is for superusers only: it is national data and
one import changes it for every kabupaten/kota.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.selectors import scope_of
from kks_portal.lib.url_ids import parse_id

from .models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption, Tatanan


def can_import_instrument(user) -> bool:
    """Only superusers replace the national catalogue of a cycle."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def _visible_indicator_q(user, prefix: str = "") -> Q:
    """National indicators, plus local ones owned by a kabupaten/kota in the user's scope."""
    scope = scope_of(user)
    return Q(**{f"{prefix}is_local": False}) | (
        Q(**{f"{prefix}is_local": True}) & scope.q(f"{prefix}owner_kabupaten__code")
    )


def cycles_visible_to(user) -> QuerySet[Cycle]:
    if not getattr(user, "is_authenticated", False):
        return Cycle.objects.none()
    return (
        Cycle.objects.select_related("tatanan_set")
        .annotate(
            indicator_count=Count("indicators", filter=_visible_indicator_q(user, "indicators__"), distinct=True),
            kelembagaan_count=Count("kelembagaan_items", distinct=True),
        )
        .order_by("-award_year")
    )


def cycle_for(user, award_year: int) -> Cycle:
    return get_object_or_404(cycles_visible_to(user), award_year=award_year)


def tatanan_of_cycle(user, *, cycle: Cycle) -> QuerySet[Tatanan]:
    """The cycle's tatanan, each with ``indicator_count`` of the indicators the user may see."""
    visible = Q(indicators__cycle=cycle) & _visible_indicator_q(user, "indicators__")
    return (
        Tatanan.objects.filter(tatanan_set=cycle.tatanan_set_id)
        .annotate(indicator_count=Count("indicators", filter=visible))
        .order_by("number")
    )


def indicators_in_scope_of(user) -> QuerySet[Indicator]:
    """Every indicator ``user`` may name, of any cycle: the national catalogue and the local
    indicators of the kabupaten/kota in their scope (for fields that take an indicator's id)."""
    if not getattr(user, "is_authenticated", False):
        return Indicator.objects.none()
    return Indicator.objects.filter(_visible_indicator_q(user))


def indicators_visible_to(user, *, cycle: Cycle, tatanan: Tatanan | None = None) -> QuerySet[Indicator]:
    indicators = Indicator.objects.filter(cycle=cycle).filter(_visible_indicator_q(user))
    if tatanan is not None:
        indicators = indicators.filter(tatanan=tatanan)
    return (
        indicators.select_related("tatanan", "owner_kabupaten")
        .prefetch_related(
            Prefetch("scale_options", queryset=ScaleOption.objects.order_by("order")),
            Prefetch("evidence_requirements", queryset=EvidenceRequirement.objects.order_by("order", "data_year")),
        )
        .order_by("tatanan__number", "order", "id")
    )


def kelembagaan_items_of(*, cycle: Cycle) -> QuerySet[KelembagaanItem]:
    return (
        KelembagaanItem.objects.filter(cycle=cycle)
        .prefetch_related(
            Prefetch("scale_options", queryset=ScaleOption.objects.order_by("order")),
            Prefetch("evidence_requirements", queryset=EvidenceRequirement.objects.order_by("order", "data_year")),
        )
        .order_by("order", "id")
    )


# --- Choosing a score --------------------------------------------------------------------------
# The one rule of which scale options a score may be set to (docs/DOMAIN.md, "Re-importing the
# instrument"): the owner's options that are not retired, plus the option the score holds now
# when that one is retired (so the old score still shows and a form sent back unchanged keeps it).
# Every form, API endpoint and file import that offers or accepts a score goes through here.

RETIRED_OPTION_LABEL = _("(tidak berlaku lagi)")
RETIRED_OPTION_MESSAGE = _(
    "Nilai %(value)s tidak berlaku lagi: opsi skala ini tidak ada di instrumen terbaru dan hanya "
    "tetap pada isian yang sudah memakainya. Pilih salah satu opsi skala yang berlaku."
)


def _pk(current) -> int | None:
    return getattr(current, "pk", current)


def is_selectable(option: ScaleOption, current=None) -> bool:
    """Whether a score whose stored option is ``current`` (an option, its id, or None) may be set
    to ``option``: any option that is not retired, and a retired one only when it is ``current``."""
    return not option.retired or (current is not None and option.pk == _pk(current))


def selectable_options(owner: Indicator | KelembagaanItem, current=None) -> list[ScaleOption]:
    """The options of ``owner``'s scale a score holding ``current`` may be set to, in the scale's
    order. Reads ``owner.scale_options.all()``, so a prefetch serves it."""
    return [option for option in owner.scale_options.all() if is_selectable(option, current)]


def selectable_options_queryset(owner: Indicator | KelembagaanItem, current=None) -> QuerySet[ScaleOption]:
    """``selectable_options`` as a queryset (for a form's choice field)."""
    queryset = owner.scale_options.all()
    current_pk = _pk(current)
    return queryset.filter(Q(retired=False) | Q(pk=current_pk)) if current_pk else queryset.filter(retired=False)


def retired_option_message(option: ScaleOption) -> str:
    return RETIRED_OPTION_MESSAGE % {"value": option.value}


def check_selectable(option: ScaleOption | None, current=None, *, field: str | None = None) -> None:
    """Raise ``ValidationError`` (on ``field`` when given) when ``option`` may not be chosen for a
    score holding ``current``; None (no score) always may."""
    if option is not None and not is_selectable(option, current):
        message = retired_option_message(option)
        raise ValidationError({field: message} if field else message)


# --- Reviewing the evidence requirements -------------------------------------------------------


@dataclass
class RequirementDocument:
    """One document an indicator or kelembagaan item requires: its requirement rows, one per data
    year (or one not bound to a year), all with the same description and count."""

    description: str
    count: int
    requirements: list[EvidenceRequirement]

    @property
    def key(self) -> int:
        """How a form names the document: the id of its first requirement."""
        return self.requirements[0].pk

    @property
    def years_label(self) -> str:
        return ", ".join(r.year_label for r in self.requirements)

    @property
    def derived(self) -> bool:
        return all(r.derived for r in self.requirements)


def requirement_documents(requirements) -> list[RequirementDocument]:
    """Requirements (in their order) grouped into documents, in the order each first appears."""
    documents: dict[tuple[str, int], RequirementDocument] = {}
    for requirement in requirements:
        key = (requirement.description, requirement.count)
        if key not in documents:
            documents[key] = RequirementDocument(requirement.description, requirement.count, [])
        documents[key].requirements.append(requirement)
    return list(documents.values())


@dataclass
class RequirementsReviewRow:
    """An indicator or kelembagaan item on the review page: its text and its documents."""

    owner: Indicator | KelembagaanItem
    kind: str  # "indicator" or "kelembagaan"
    documents: list[RequirementDocument]
    locked: bool  # evidence was uploaded for one of its requirements: no more merging or splitting

    @property
    def form_owner(self) -> str:
        """The owner as review forms name it: "indicator-12", "kelembagaan-3"."""
        return f"{self.kind}-{self.owner.pk}"

    @property
    def title(self) -> str:
        owner = self.owner
        if self.kind == "indicator":
            return f"{owner.tatanan.code} {owner.number} · {owner.name}"
        return f"{owner.get_component_display()} · {owner.get_item_display()}"


def requirements_with_evidence(requirements: QuerySet[EvidenceRequirement]) -> QuerySet[EvidenceRequirement]:
    """Those of ``requirements`` some assessment has attached a file to (live, removed or replaced:
    every file stays tied to its requirement). The evidence app's files are reached through the
    relation only: ``tatanan`` sits below ``evidence`` (docs/ARCHITECTURE.md)."""
    return requirements.filter(files__isnull=False).distinct()


def requirements_review(*, cycle: Cycle) -> list[RequirementsReviewRow]:
    """Every kelembagaan item and national indicator of ``cycle`` with its requirements as documents."""
    ordered = Prefetch(
        "evidence_requirements", queryset=EvidenceRequirement.objects.order_by("order", "data_year", "id")
    )
    with_files = requirements_with_evidence(
        EvidenceRequirement.objects.filter(Q(indicator__cycle=cycle) | Q(kelembagaan_item__cycle=cycle))
    )
    locked = set(with_files.values_list("indicator_id", "kelembagaan_item_id"))
    locked_indicators = {indicator for indicator, _item in locked if indicator}
    locked_items = {item for _indicator, item in locked if item}
    rows = [
        RequirementsReviewRow(
            item, "kelembagaan", requirement_documents(item.evidence_requirements.all()), item.pk in locked_items
        )
        for item in KelembagaanItem.objects.filter(cycle=cycle).prefetch_related(ordered).order_by("order", "id")
    ]
    indicators = (
        Indicator.objects.filter(cycle=cycle, is_local=False)
        .select_related("tatanan")
        .prefetch_related(ordered)
        .order_by("tatanan__number", "order", "id")
    )
    rows += [
        RequirementsReviewRow(
            indicator,
            "indicator",
            requirement_documents(indicator.evidence_requirements.all()),
            indicator.pk in locked_indicators,
        )
        for indicator in indicators
    ]
    return rows


def requirements_review_owner(*, cycle: Cycle, form_owner: str) -> Indicator | KelembagaanItem | None:
    """The indicator or kelembagaan item of ``cycle`` a review form names ("indicator-12"), or None."""
    kind, _sep, text = (form_owner or "").partition("-")
    pk = parse_id(text)  # not str.isdigit: "²" is a digit to it and no number to int()
    if pk is None:
        return None
    if kind == "indicator":
        return Indicator.objects.filter(cycle=cycle, is_local=False, pk=pk).first()
    if kind == "kelembagaan":
        return KelembagaanItem.objects.filter(cycle=cycle, pk=pk).first()
    return None
