"""An activity held by several bodies (issue 13, item 7): a joint Forum + Tim Pembina meeting, a
kabupaten-wide sosialisasi with the Forum Kecamatan. The recording body keeps its papers; the
activity counts for every body that held it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evidence.completeness import body_readiness_of, kabupaten_readiness
from evidence.models import Activity
from evidence.services import activity_create, activity_update
from forums.models import Body

pytestmark = pytest.mark.django_db

DATE = datetime.date(2024, 5, 2)


@pytest.fixture
def forum_serang(wilayah):
    return Body.objects.create(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["serang"])


@pytest.fixture
def tim_pembina_serang(wilayah):
    return Body.objects.create(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=wilayah["serang"])


@pytest.fixture
def forum_carenang(wilayah):
    return Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])


def test_a_joint_activity_counts_for_each_body_that_held_it(
    rina, forum_serang, tim_pembina_serang, forum_carenang, wilayah
):
    activity = activity_create(
        body=forum_serang,
        actor=rina,
        title="Rapat koordinasi Forum dan Tim Pembina",
        date=DATE,
        partner_bodies=[tim_pembina_serang, forum_carenang],
        today=DATE,
    )
    assert set(activity.partner_bodies.all()) == {tim_pembina_serang, forum_carenang}
    for body in (forum_serang, tim_pembina_serang, forum_carenang):
        assert [a.pk for a in body_readiness_of(body, years=[2024]).activities] == [activity.pk]
    rollup = kabupaten_readiness(wilayah["serang"], years=[2024])
    assert rollup.row("36.04.17").forum.total == 1
    # Taken off again, it counts for the recording body alone.
    activity_update(activity=activity, actor=rina, partner_bodies=[], today=DATE)
    assert body_readiness_of(tim_pembina_serang, years=[2024]).total == 0
    assert body_readiness_of(forum_serang, years=[2024]).total == 1


def test_a_body_of_another_kabupaten_or_itself_is_refused(rina, forum_serang, wilayah):
    bogor_forum = Body.objects.create(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["bogor"])
    for partner in (bogor_forum, forum_serang):
        with pytest.raises(ValidationError) as refused:
            activity_create(
                body=forum_serang, actor=rina, title="Sosialisasi", date=DATE, partner_bodies=[partner], today=DATE
            )
        assert "harus lembaga lain di kabupaten/kota yang sama" in str(refused.value)
    assert not Activity.objects.exists()


def test_the_form_records_partners_and_their_lists_show_the_shared_activity(
    client_for, rina, forum_serang, tim_pembina_serang
):
    client = client_for(rina)
    page = client.get(reverse("evidence:activity_add", args=[forum_serang.pk])).content.decode()
    assert 'name="partner_bodies"' in page
    assert f'value="{tim_pembina_serang.pk}"' in page
    assert f'value="{forum_serang.pk}"' not in page.split('name="partner_bodies"', 1)[1].split("</select>", 1)[0]
    response = client.post(
        reverse("evidence:activity_add", args=[forum_serang.pk]),
        {
            "title": "Rapat bersama",
            "date": "2024-05-02",
            "partner_bodies": [tim_pembina_serang.pk],
            "realised_budget": 0,
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert list(activity.partner_bodies.all()) == [tim_pembina_serang]
    partner_list = client.get(reverse("evidence:activity_list", args=[tim_pembina_serang.pk])).content.decode()
    assert "Rapat bersama" in partner_list
    assert f"Kegiatan bersama, dicatat oleh {forum_serang.name}" in partner_list
    detail = client.get(reverse("evidence:activity_detail", args=[activity.pk])).content.decode()
    assert tim_pembina_serang.name in detail.split('id="activity-partners"', 1)[1]
    body_page = client.get(reverse("forums:body_detail", args=[tim_pembina_serang.pk])).content.decode()
    assert "1 kegiatan" in body_page
