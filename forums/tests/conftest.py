import pytest

from forums.models import Body
from forums.tests.factories import BodyFactory


@pytest.fixture
def forum_carenang(wilayah):
    return BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])


@pytest.fixture
def forum_binuang(wilayah):
    return BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"])


@pytest.fixture
def pokja_carenang(wilayah):
    return BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"])


@pytest.fixture
def tim_pembina_carenang(wilayah):
    return BodyFactory(kind=Body.Kind.TIM_PEMBINA_KECAMATAN, region=wilayah["carenang"])
