"""Writes of the data requests: Bappeda asks OPDs for indicator data and titik pantau, and the
secretaries of the Forum/Pokja for their kelembagaan documents, by a deadline, and chases those
who have not returned them (README "Permintaan data")."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import require_kabupaten_admin
from accounts.models import Opd, User
from regions.models import Region
from tatanan.models import Tatanan

from ..models import Assessment, DataRequest, IndicatorEntry, TitikPantau
from .selectors import (
    operators_of,
    outstanding_entries,
    outstanding_of,
    overdue_data_requests,
    secretaries_of,
    today,
)

REMINDER_SUBJECT_TEMPLATE = "indicators/requests/reminder_subject.txt"
REMINDER_BODY_TEMPLATE = "indicators/requests/reminder_body.txt"
# Titik pantau and kelembagaan documents: one e-mail for both, worded per kind.
OTHER_REMINDER_SUBJECT_TEMPLATE = "indicators/requests/reminder_other_subject.txt"
OTHER_REMINDER_BODY_TEMPLATE = "indicators/requests/reminder_other_body.txt"
# Where the person asked sees and fills what is asked (the secretary's home is the forums app's,
# reached by its URL name only).
TODO_PAGES = {
    DataRequest.Kind.ENTRIES: "indicators:todo",
    DataRequest.Kind.TITIK_PANTAU: "indicators:todo",
    DataRequest.Kind.KELEMBAGAAN: "forums:secretary_home",
}
# The region levels whose Forum/Pokja has a secretary (forums.selectors.SECRETARY_KIND_FOR_LEVEL).
SECRETARY_LEVELS = (Region.Level.KABKOTA, Region.Level.KECAMATAN, Region.Level.DESA)
POINTS_MIN_MAX = 50


def deadline_check(deadline: datetime.date | None) -> None:
    """A data request's deadline: given, and today or later (a local date, ``today``).

    The assign form checks it too, so that the page reports it together with its other errors."""
    if deadline is None:
        raise ValidationError({"deadline": _("Tentukan tenggat.")})
    if deadline < today():
        raise ValidationError(
            {
                "deadline": _("Tenggat %(date)s sudah lewat. Pilih hari ini atau tanggal sesudahnya.")
                % {"date": deadline.strftime("%d-%m-%Y")}
            }
        )


@transaction.atomic
def data_request_assign(
    *,
    assessment: Assessment,
    opd: Opd,
    entries: list[IndicatorEntry | int],
    deadline: datetime.date,
    actor: User,
    message: str | None = None,
    replace: bool = False,
) -> DataRequest:
    """Ask ``opd`` for the data of ``entries`` by ``deadline``.

    The entries are assigned to the OPD (taken from whichever OPD had them) and the OPD's data
    request for the assessment is created or its deadline (and message, when given) updated.
    With ``replace`` the OPD keeps exactly ``entries``: its other entries become unassigned,
    which is what the per-OPD form means. Only the Bappeda admin of the kabupaten (or a
    superuser) may do this; to anyone else the assessment's requests do not exist (404).
    A deadline before today is refused.
    """
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    if opd.kabupaten_id != assessment.kabupaten_id:
        raise ValidationError({"opd": _("OPD harus dari kabupaten/kota yang sama.")})
    deadline_check(deadline)
    ids = {e if isinstance(e, int) else e.pk for e in entries}
    if not ids:
        raise ValidationError({"entries": _("Pilih sedikitnya satu indikator.")})
    chosen = assessment.indicator_entries.filter(pk__in=ids)
    if chosen.count() != len(ids):
        raise ValidationError({"entries": _("Sebagian indikator yang dipilih bukan bagian dari penilaian ini.")})

    now = timezone.now()
    chosen.update(assigned_opd=opd, updated_by=actor, updated_at=now)
    if replace:
        assessment.indicator_entries.filter(assigned_opd=opd).exclude(pk__in=ids).update(
            assigned_opd=None, updated_by=actor, updated_at=now
        )
    defaults: dict = {"deadline": deadline}
    if message is not None:
        defaults["message"] = message
    data_request, _created = DataRequest.objects.update_or_create(
        assessment=assessment,
        opd=opd,
        kind=DataRequest.Kind.ENTRIES,
        defaults=defaults,
        create_defaults={**defaults, "created_by": actor},
    )
    return data_request


@transaction.atomic
def data_request_titik_pantau(
    *,
    assessment: Assessment,
    opd: Opd,
    tatanan: list[Tatanan],
    deadline: datetime.date,
    actor: User,
    point_kinds: list[str] = (),
    points_min: int = 1,
    message: str | None = None,
) -> DataRequest:
    """Ask ``opd`` to add and complete the titik pantau of ``tatanan`` (of ``point_kinds`` only,
    when given): at least ``points_min`` per tatanan, each with desa/kelurahan, address and
    coordinates, by ``deadline``. Asking the same OPD again replaces what it was asked (one
    titik pantau request per OPD and assessment). While the request stands and the assessment is
    open, the OPD's operators may add and change those titik pantau
    (``selectors.may_write_titik_pantau``). Only the Bappeda admin (404 for anyone else).

    Every error is reported at once, keyed by field."""
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    errors: dict[str, str] = {}
    if opd is None or opd.kabupaten_id != assessment.kabupaten_id:
        errors["opd"] = _("OPD harus dari kabupaten/kota yang sama.")
    chosen = list(tatanan)
    assessed = set(assessment.tatanan.values_list("pk", flat=True))
    if not chosen:
        errors["tatanan"] = _("Pilih sedikitnya satu tatanan.")
    elif any(t.pk not in assessed for t in chosen):
        errors["tatanan"] = _("Pilih tatanan yang dinilai dalam penilaian ini.")
    kinds = sorted(set(point_kinds))
    unknown = [k for k in kinds if k not in TitikPantau.Kind.values]
    if unknown:
        errors["point_kinds"] = _("Jenis titik pantau tidak dikenal: %(kinds)s.") % {"kinds": ", ".join(unknown)}
    if points_min is None or not 1 <= points_min <= POINTS_MIN_MAX:
        errors["points_min"] = _("Jumlah titik pantau per tatanan harus antara 1 dan %(max)s.") % {
            "max": POINTS_MIN_MAX
        }
    try:
        deadline_check(deadline)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    defaults: dict = {"deadline": deadline, "point_kinds": kinds, "points_min": points_min}
    if message is not None:
        defaults["message"] = message
    data_request, _created = DataRequest.objects.update_or_create(
        assessment=assessment,
        opd=opd,
        kind=DataRequest.Kind.TITIK_PANTAU,
        defaults=defaults,
        create_defaults={**defaults, "created_by": actor},
    )
    data_request.tatanan.set(chosen)
    return data_request


@transaction.atomic
def data_request_documents(
    *,
    assessment: Assessment,
    regions: list[Region],
    documents: list[str],
    deadline: datetime.date,
    actor: User,
    message: str | None = None,
) -> list[DataRequest]:
    """Ask the secretaries of the Forum/Pokja of each of ``regions`` (the kabupaten/kota itself,
    its kecamatan or desa/kelurahan) for the kelembagaan ``documents`` of their body
    (``DataRequest.Document``) by ``deadline``: one request per region, created or replaced.
    Only the Bappeda admin (404 for anyone else). Every error is reported at once."""
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    errors: dict[str, str] = {}
    chosen = list(regions)
    kabupaten = assessment.kabupaten_id
    outside = [
        r
        for r in chosen
        if r.level not in SECRETARY_LEVELS or not (r.code == kabupaten or r.code.startswith(kabupaten + "."))
    ]
    if not chosen:
        errors["regions"] = _("Pilih sedikitnya satu lembaga.")
    elif outside:
        errors["regions"] = _("Lembaga berikut bukan Forum/Pokja %(kabupaten)s: %(names)s.") % {
            "kabupaten": assessment.kabupaten.name,
            "names": ", ".join(r.name for r in outside),
        }
    wanted = [d for d in DataRequest.Document.values if d in set(documents)]
    if not documents:
        errors["documents"] = _("Pilih sedikitnya satu dokumen.")
    elif len(wanted) != len(set(documents)):
        errors["documents"] = _("Dokumen yang dipilih tidak dikenal.")
    try:
        deadline_check(deadline)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    defaults: dict = {"deadline": deadline, "documents": wanted}
    if message is not None:
        defaults["message"] = message
    return [
        DataRequest.objects.update_or_create(
            assessment=assessment,
            region=region,
            kind=DataRequest.Kind.KELEMBAGAAN,
            defaults=defaults,
            create_defaults={**defaults, "created_by": actor},
        )[0]
        for region in chosen
    ]


def data_request_cancel(*, data_request: DataRequest, actor: User) -> None:
    """Withdraw a request (Bappeda admin only). Entries asked of an OPD stay assigned to it; only
    the deadline and the reminders go."""
    require_kabupaten_admin(actor, data_request.assessment.kabupaten_id)
    data_request.delete()


def data_request_remind(*, data_request: DataRequest, actor: User, base_url: str = "") -> None:
    """Queue a reminder e-mail to the operators of the request's OPD, once the transaction commits.

    ``base_url`` ("https://portal.example/") makes the link in the e-mail absolute.
    """
    require_kabupaten_admin(actor, data_request.assessment.kabupaten_id)
    # Imported here: indicators.tasks imports this module (the task sends what this service queues).
    from ..tasks import send_data_request_reminder

    pk = data_request.pk
    transaction.on_commit(lambda: send_data_request_reminder.delay(pk, base_url=base_url))


def data_requests_remind_overdue(*, assessment: Assessment, actor: User, base_url: str = "") -> list[DataRequest]:
    """Queue a reminder for every OPD of ``assessment`` past its deadline with data outstanding."""
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    overdue = list(overdue_data_requests(assessment=assessment))
    for data_request in overdue:
        data_request_remind(data_request=data_request, actor=actor, base_url=base_url)
    return overdue


def data_request_reminder_send(*, data_request: DataRequest, base_url: str = "") -> int:
    """Send the reminder now: one e-mail per active operator of the OPD (titik pantau, entries)
    or secretary of the body's region (kelembagaan documents) with an address, listing what is
    still outstanding (for entries: the indicators not yet ``selesai``). Counts the reminder on
    the request.

    Returns the number of e-mails sent; nothing is sent (or counted) when nothing is
    outstanding or nobody asked has an e-mail address.
    """
    if data_request.kind != DataRequest.Kind.ENTRIES:
        return _other_reminder_send(data_request=data_request, base_url=base_url)
    entries = list(outstanding_entries(data_request).order_by("indicator__tatanan__number", "indicator__order"))
    operators = operators_of(data_request.opd)
    if not entries or not operators:
        return 0
    context = {
        "opd": data_request.opd,
        "assessment": data_request.assessment,
        "data_request": data_request,
        "entries": entries,
        "overdue": data_request.deadline < today(),
        "todo_url": base_url.rstrip("/") + reverse("indicators:todo"),
    }
    return _reminders_send(
        data_request,
        [({**context, "operator": operator}, operator.email) for operator in operators],
        subject_template=REMINDER_SUBJECT_TEMPLATE,
        body_template=REMINDER_BODY_TEMPLATE,
    )


def _reminders_send(
    data_request: DataRequest, mails: list[tuple[dict, str]], *, subject_template, body_template
) -> int:
    """Render one reminder per (context, address) in the site's language, send them in one
    connection and count the reminder on ``data_request``; returns how many were sent."""
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for context, address in mails:
            subject = " ".join(loader.render_to_string(subject_template, context).split())
            body = loader.render_to_string(body_template, context)
            messages.append(EmailMessage(subject, body, None, [address]))
    sent = get_connection().send_messages(messages) or 0
    DataRequest.objects.filter(pk=data_request.pk).update(
        reminder_count=F("reminder_count") + 1, last_reminded_at=timezone.now()
    )
    return sent


def _other_reminder_send(*, data_request: DataRequest, base_url: str) -> int:
    """The reminder of a titik pantau or kelembagaan request (``data_request_reminder_send``)."""
    items = outstanding_of([data_request])[data_request.pk]
    if data_request.kind == DataRequest.Kind.KELEMBAGAAN:
        recipients = secretaries_of(data_request.region)
    else:
        recipients = operators_of(data_request.opd)
    if not items or not recipients:
        return 0
    base = base_url.rstrip("/")
    context = {
        "assessment": data_request.assessment,
        "data_request": data_request,
        "asked": data_request.asked_label,
        "items": [(item.text, base + item.url if item.url else "") for item in items],
        "overdue": data_request.deadline < today(),
        "todo_url": base + reverse(TODO_PAGES[data_request.kind]),
    }
    return _reminders_send(
        data_request,
        [({**context, "recipient": recipient}, recipient.email) for recipient in recipients],
        subject_template=OTHER_REMINDER_SUBJECT_TEMPLATE,
        body_template=OTHER_REMINDER_BODY_TEMPLATE,
    )
