"""Bappeda gives a body the name of its SK (issue 13, item 10): a kota's forum is often the
"Forum Komunikasi Kota Sehat", which the default name cannot know."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forums.models import Body

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum_serang(wilayah):
    return Body.objects.create(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["serang"])


def test_bappeda_renames_a_body_and_an_empty_name_puts_the_default_back(client_for, rina, forum_serang):
    client = client_for(rina)
    detail = client.get(reverse("forums:body_detail", args=[forum_serang.pk])).content.decode()
    assert 'id="rename-body"' in detail
    url = reverse("forums:body_rename", args=[forum_serang.pk])
    response = client.post(url, {"name": "  Forum Komunikasi   Kabupaten Sehat Serang "})
    assert response.status_code == 302
    forum_serang.refresh_from_db()
    assert forum_serang.name == "Forum Komunikasi Kabupaten Sehat Serang"
    page = client.get(response["Location"]).content.decode()
    assert "Nama lembaga disimpan: Forum Komunikasi Kabupaten Sehat Serang." in page
    client.post(url, {"name": ""})
    forum_serang.refresh_from_db()
    assert forum_serang.name == "Forum Kabupaten Sehat Serang"


def test_a_name_too_long_is_refused_in_indonesian_and_kept(client_for, rina, forum_serang):
    response = client_for(rina).post(reverse("forums:body_rename", args=[forum_serang.pk]), {"name": "F" * 201})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pastikan nilai ini mengandung paling banyak 200 karakter" in page
    assert "F" * 201 in page
    forum_serang.refresh_from_db()
    assert forum_serang.name == "Forum Kabupaten Sehat Serang"


def test_a_secretary_does_not_rename(client_for, sari, rina, forum_serang):
    assert client_for(sari).get(reverse("forums:body_rename", args=[forum_serang.pk])).status_code == 404
    detail = client_for(sari).get(reverse("forums:body_detail", args=[forum_serang.pk]))
    assert 'id="rename-body"' not in detail.content.decode()


def test_a_kota_reads_as_a_kota_on_the_kelembagaan_table(client_for, root_user, wilayah):
    from regions.tests import factories as rf

    cilegon = rf.region(("36.72", "Kota Cilegon"))
    page = client_for(root_user).get(reverse("forums:kelembagaan_table", args=[cilegon.code])).content.decode()
    assert "Pokja Kelurahan (semua kelurahan)" in page
    assert "Forum Kota Sehat" in page
    assert "semua desa)" not in page
