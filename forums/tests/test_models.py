import pytest
from django.db import IntegrityError, transaction

from forums.models import Body, Decree


@pytest.mark.django_db
def test_default_names(wilayah):
    forum = Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])
    pokja = Body.objects.create(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"])
    forum_kab = Body.objects.create(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["serang"])
    assert forum.name == "Forum Kecamatan Sehat Carenang"
    assert pokja.name == "Pokja Desa Sehat Carenang"
    assert forum_kab.name == "Forum Kabupaten Sehat Serang"


@pytest.mark.django_db
def test_one_current_decree_per_body(wilayah):
    forum = Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])
    fields = {"date": "2024-01-02", "signer": "Camat Carenang", "valid_from": "2024-01-02"}
    Decree.objects.create(body=forum, number="1/2024", **fields)
    Decree.objects.create(body=forum, number="0/2020", is_current=False, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decree.objects.create(body=forum, number="2/2024", **fields)
