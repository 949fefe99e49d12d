"""Authorization rules of the titik pantau and kelembagaan data request routes, pages and API, in
the shape of ``kks_portal.tests.authz``.

``REQUEST_ROUTES`` joins the project's registry in ``kks_portal/tests/test_authorization.py``.
Like the entry requests, they are the kabupaten's internal business: only its Bappeda admin and
the superuser open them; every other persona, readers of the assessment included, gets 404.
A kelembagaan request is read (``/api/data-requests/``) by those and by the secretary of the
Forum/Pokja asked: sari, of Carenang (``DOCUMENT_REQUEST_READERS``).
"""

from __future__ import annotations

import datetime

from accounts.models import Opd, Role, RoleAssignment
from accounts.tests.factories import UserFactory
from indicators.models import DataRequest
from kks_portal.tests.authz import Built, Rule, Write

KABUPATEN_ADMINS = {"serang": frozenset({"rina", "root"}), "bogor": frozenset({"root"})}


def disperindag_of(world, place) -> Opd:
    """The place's Disperindag, whose one operator (with an e-mail address, for the reminders) is
    no persona: the titik pantau requests are made to it, since one to Dinkes would give oscar
    the right to write titik pantau on the routes checked after these
    (``selectors.may_write_titik_pantau``)."""
    opd, created = Opd.objects.get_or_create(
        kabupaten=world.kabupaten(place), short_name="Disperindag", defaults={"name": "Dinas Perindustrian"}
    )
    if created:
        operator = UserFactory(username=f"operator_disperindag_{place}", full_name=f"Operator Disperindag {place}")
        RoleAssignment.objects.create(user=operator, role=Role.OPD_OPERATOR, region=opd.kabupaten, opd=opd)
    return opd


def without_point_requests_at(world, place) -> Built:
    """The place's assessment with no titik pantau request yet, so that asking creates one."""
    assessment = world.assessment(place)
    assessment.data_requests.filter(kind=DataRequest.Kind.TITIK_PANTAU).delete()
    return Built({"pk": assessment.pk}, rows=[assessment], extra={"opd": disperindag_of(world, place).pk})


def point_request_at(world, place) -> Built:
    """An overdue titik pantau request to the place's Disperindag, never reminded, nothing filled."""
    assessment = world.assessment(place)
    data_request, _created = DataRequest.objects.update_or_create(
        assessment=assessment,
        opd=disperindag_of(world, place),
        kind=DataRequest.Kind.TITIK_PANTAU,
        defaults={
            "deadline": datetime.date.today() - datetime.timedelta(days=1),
            "reminder_count": 0,
            "last_reminded_at": None,
        },
    )
    data_request.tatanan.set([world.tatanan])
    return Built({"pk": assessment.pk, "request_pk": data_request.pk}, rows=[data_request])


def point_request_data(world, built):
    deadline = datetime.date.today() + datetime.timedelta(days=14)
    return {
        "opd": built.extra["opd"],
        "tatanan": [world.tatanan.pk],
        "points_min": "1",
        "deadline": deadline.isoformat(),
    }


def without_document_requests_at(world, place) -> Built:
    """The place's assessment with no kelembagaan request yet, so that asking creates one."""
    assessment = world.assessment(place)
    assessment.data_requests.filter(kind=DataRequest.Kind.KELEMBAGAAN).delete()
    return Built({}, rows=[assessment], extra={"assessment": assessment.pk, "region": world.kecamatan[place].code})


def document_request_at(world, place) -> Built:
    """A kelembagaan request to the Forum of the place's kecamatan (Carenang in Serang: sari's)."""
    data_request, _created = DataRequest.objects.update_or_create(
        assessment=world.assessment(place),
        region=world.kecamatan[place],
        kind=DataRequest.Kind.KELEMBAGAAN,
        defaults={"deadline": datetime.date.today() + datetime.timedelta(days=7), "documents": ["sk"]},
    )
    return Built({"pk": data_request.pk}, rows=[data_request], api_id=data_request.pk)


# The Bappeda admin and the superuser, and the secretary of the Forum Kecamatan asked.
DOCUMENT_REQUEST_READERS = {"serang": frozenset({"rina", "sari", "root"}), "bogor": frozenset({"root"})}


def _in_two_weeks() -> str:
    return (datetime.date.today() + datetime.timedelta(days=14)).isoformat()


def point_request_api_data(world, built):
    return {
        "assessment": built.kwargs["pk"],
        "opd": built.extra["opd"],
        "tatanan": ["PSR"],
        "deadline": _in_two_weeks(),
    }


def document_request_api_data(world, built):
    return {
        "assessment": built.extra["assessment"],
        "regions": [built.extra["region"]],
        "documents": ["sk", "sekretariat"],
        "deadline": _in_two_weeks(),
    }


REQUEST_ROUTES: dict[str, Rule] = {
    "indicators:request_titik_pantau": Rule(
        "SCOPED_OBJECT",
        KABUPATEN_ADMINS,
        build=without_point_requests_at,
        writes=(Write(point_request_data),),
    ),
    # Reminding queues an e-mail to Disperindag's operator and counts the reminder.
    "indicators:request_remind_one": Rule(
        "SCOPED_OBJECT", KABUPATEN_ADMINS, build=point_request_at, get_ok=None, writes=(Write({}),)
    ),
    "indicators:request_cancel": Rule("SCOPED_OBJECT", KABUPATEN_ADMINS, build=point_request_at, writes=(Write({}),)),
    # The API: asking is a POST that names the assessment (no GET); the service's 404 for anyone else.
    "data-request-titik-pantau": Rule(
        "SCOPED_OBJECT",
        KABUPATEN_ADMINS,
        get_ok=None,
        writes=(Write(point_request_api_data, ok=(201,), build=without_point_requests_at),),
    ),
    "data-request-kelembagaan": Rule(
        "SCOPED_OBJECT",
        KABUPATEN_ADMINS,
        get_ok=None,
        writes=(Write(document_request_api_data, ok=(201,), build=without_document_requests_at),),
    ),
}
