"""Authorization rules of the titik pantau and kelembagaan data request routes, in the shape of
``kks_portal.tests.authz``.

``REQUEST_ROUTES`` joins the project's registry in ``kks_portal/tests/test_authorization.py``.
Like the entry requests, they are the kabupaten's internal business: only its Bappeda admin and
the superuser open them; every other persona, readers of the assessment included, gets 404.
"""

from __future__ import annotations

import datetime

from indicators.models import DataRequest
from kks_portal.tests.authz import Built, Rule, Write

KABUPATEN_ADMINS = {"serang": frozenset({"rina", "root"}), "bogor": frozenset({"root"})}


def without_point_requests_at(world, place) -> Built:
    """The place's assessment with no titik pantau request yet, so that asking creates one."""
    assessment = world.assessment(place)
    assessment.data_requests.filter(kind=DataRequest.Kind.TITIK_PANTAU).delete()
    return Built({"pk": assessment.pk}, rows=[assessment], extra={"opd": world.opds[place].pk})


def point_request_at(world, place) -> Built:
    """An overdue titik pantau request to the place's Dinkes, never reminded, nothing filled."""
    assessment = world.assessment(place)
    data_request, _created = DataRequest.objects.update_or_create(
        assessment=assessment,
        opd=world.opds[place],
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


REQUEST_ROUTES: dict[str, Rule] = {
    "indicators:request_titik_pantau": Rule(
        "SCOPED_OBJECT",
        KABUPATEN_ADMINS,
        build=without_point_requests_at,
        writes=(Write(point_request_data),),
    ),
    # Reminding queues an e-mail to Dinkes' operator and counts the reminder.
    "indicators:request_remind_one": Rule(
        "SCOPED_OBJECT", KABUPATEN_ADMINS, build=point_request_at, get_ok=None, writes=(Write({}),)
    ),
    "indicators:request_cancel": Rule("SCOPED_OBJECT", KABUPATEN_ADMINS, build=point_request_at, writes=(Write({}),)),
}
