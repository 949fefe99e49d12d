import pytest

from regions.tests import factories as rf


@pytest.fixture
def wilayah(wilayah):
    """The personas' regions and the demo's second kabupaten, Kota Cilegon: with every region the
    demo needs present, ``demo_seed`` does not load the whole of Banten."""
    wilayah["cilegon"] = rf.region(("36.72", "Kota Cilegon"))
    return wilayah
