"""Keeping the readiness roll-up rows current (``BodyYearReadiness``, one row per body and year).

The rows are what ``completeness.kabupaten_readiness`` reads, so that a kabupaten's readiness costs
the same for 100 or 10,000 activities (docs/PERFORMANCE.md, "Readiness roll-ups"). A row is never
adjusted by a difference: ``refresh`` recomputes the rows of the (body, year) pairs a change touches
with the computed rule (``completeness.body_readiness``, which reads the activities), so a row is
always what the rule gives for its inputs at that moment. What calls it:

* ``evidence.services``: an activity recorded, changed (its date, its partner bodies: the pairs
  before and after) or removed;
* ``evidence.uploads``: a file attached to an activity (also replacing one) or removed;
* the deletion of a body (the Django admin, a region removed): its own rows go with it (cascade),
  the bodies that held its activities with it are refreshed after the commit (``forums`` sits
  below ``evidence``, so the model signal is the only way to hear of it);
* ``manage.py readiness_rebuild``, after bulk loads (``demo.scale``'s ``bulk_create`` goes round
  the services) or to check a doubt; and once by itself after ``migrate`` on a database that has
  activities but no rows yet (an existing deployment taking this version: ``rebuild_if_empty``).

Concurrency: ``refresh`` runs inside the writer's transaction. It first makes sure the rows exist,
then locks them (``SELECT … FOR UPDATE``, in (year, body) order so that two writers cannot
deadlock each other), and only then reads the activities: on PostgreSQL (read committed) a second
writer of the same body and year waits for the first to commit and then reads its changes too, so
the last writer's count includes both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from forums.models import Body

from .completeness import body_readiness
from .models import Activity, BodyYearReadiness

Key = tuple[int, int]  # (body id, year)

# Bodies refreshed per statement by ``rebuild``.
REBUILD_CHUNK = 500


def activity_keys(activity_ids: Iterable[int]) -> set[Key]:
    """The (body, year) pairs the activities count for: their recording body and their partner
    bodies in the year of their date (removed activities included: removing one changes them)."""
    ids = list(activity_ids)
    keys: set[Key] = set()
    if not ids:
        return keys
    for body_id, date, partner_id in Activity.objects.filter(pk__in=ids).values_list(
        "body_id", "date", "partner_bodies"
    ):
        keys.add((body_id, date.year))
        if partner_id is not None:
            keys.add((partner_id, date.year))
    return keys


def _row_values(state) -> dict:
    incomplete = [
        {
            "id": a.pk,
            "body": a.body_id,
            "title": a.title,
            "date": a.date.isoformat(),
            "missing": list(a.missing_kinds),
        }
        for a in state.incomplete
    ]
    return {"total": state.total, "complete": state.complete, "incomplete": incomplete}


def refresh(keys: Iterable[Key]) -> int:
    """Recompute the rows of ``keys`` from the activities; returns the rows written."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for body_id, year in keys:
        by_year[year].add(body_id)
    written = 0
    with transaction.atomic():
        for year in sorted(by_year):
            body_ids = sorted(by_year[year])
            bodies = Body.objects.filter(pk__in=body_ids)
            existing = list(bodies.values_list("pk", flat=True))  # a body deleted meanwhile has no row
            BodyYearReadiness.objects.bulk_create(
                [BodyYearReadiness(body_id=pk, year=year) for pk in sorted(existing)], ignore_conflicts=True
            )
            rows = list(
                BodyYearReadiness.objects.select_for_update()
                .filter(body_id__in=existing, year=year)
                .order_by("body_id")
                .only("pk", "body_id", "year")
            )
            states = {s.body.pk: s for s in body_readiness(Body.objects.filter(pk__in=existing), years=[year])}
            for row in rows:
                for name, value in _row_values(states[row.body_id]).items():
                    setattr(row, name, value)
            BodyYearReadiness.objects.bulk_update(rows, ["total", "complete", "incomplete"])
            written += len(rows)
    return written


def refresh_activities(activity_ids: Iterable[int], *, before: Iterable[Key] = ()) -> int:
    """Refresh what the activities count for now, and ``before`` (the pairs they counted for
    before a change of date or partners)."""
    return refresh(activity_keys(activity_ids) | set(before))


def rebuild(*, kabupaten_code: str | None = None, chunk: int = REBUILD_CHUNK) -> int:
    """Recompute every row (of one kabupaten/kota when ``kabupaten_code`` is given) from the
    activities: the rows of every body and year with an activity, and the rows already there
    (a body whose activities are all gone keeps a row of zeros). Returns the rows written."""
    bodies = Body.objects.order_by("pk")
    if kabupaten_code:
        bodies = bodies.filter(Q(region_id=kabupaten_code) | Q(region__code__startswith=kabupaten_code + "."))
    ids = list(bodies.values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        keys: set[Key] = set(
            BodyYearReadiness.objects.filter(body_id__in=part).values_list("body_id", "year").order_by()
        )
        owned = Activity.objects.filter(body_id__in=part).values_list("body_id", "date__year").distinct()
        keys.update(owned.order_by())
        shared = Activity.partner_bodies.through.objects.filter(body_id__in=part).values_list(
            "body_id", "activity__date__year"
        )
        keys.update(shared.distinct().order_by())
        written += refresh(keys)
    return written


def rebuild_if_empty(sender, *, using: str = "default", verbosity: int = 1, stdout=None, **kwargs) -> None:
    """After ``migrate`` (``post_migrate`` of this app): fill the rows once when there are
    activities and no row at all, i.e. on the first migrate of a database from before the rows.
    A data migration would run today's code against an older schema; this runs after the last."""
    if BodyYearReadiness.objects.using(using).exists() or not Activity.objects.using(using).exists():
        return
    written = rebuild()
    if verbosity and stdout is not None:
        stdout.write(f"  Readiness roll-up rows rebuilt: {written}.")


# --- A body deleted -------------------------------------------------------------------------------


@receiver(pre_delete, sender=Body, dispatch_uid="evidence.rollups.body_pre_delete")
def _remember_partners(sender, instance: Body, **kwargs) -> None:
    """The bodies that held the deleted body's activities with it lose them: note their pairs."""
    instance._readiness_keys = {
        (partner_id, date.year)
        for partner_id, date in Activity.partner_bodies.through.objects.filter(activity__body=instance)
        .exclude(body_id=instance.pk)
        .values_list("body_id", "activity__date")
    }


@receiver(post_delete, sender=Body, dispatch_uid="evidence.rollups.body_post_delete")
def _refresh_partners(sender, instance: Body, **kwargs) -> None:
    keys = getattr(instance, "_readiness_keys", set())
    if keys:
        # After the commit: other bodies may go in the same deletion (a region removed).
        transaction.on_commit(lambda: refresh(keys))
