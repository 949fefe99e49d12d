"""The catalogue page of local indicators: scoped reading, editing by the owner's Bappeda admin."""

import pytest

from accounts.models import Role
from accounts.tests.factories import RoleAssignmentFactory, UserFactory
from tatanan.models import Indicator, Tatanan
from tatanan.services import local_indicator_create


@pytest.fixture
def ksm(cycle_2025):
    return Tatanan.objects.get(tatanan_set=cycle_2025.tatanan_set, code="KSM")


@pytest.fixture
def iks(rina, wilayah, cycle_2025, ksm):
    return local_indicator_create(
        actor=rina,
        kabupaten=wilayah["serang"],
        cycle=cycle_2025,
        tatanan=ksm,
        number="L1",
        name="Indeks Keluarga Sehat",
        scale_text="100 = tercapai\n0 = tidak",
    )


@pytest.fixture
def budi(wilayah):
    """Bappeda admin of Kabupaten Bogor, in another province."""
    user = UserFactory(username="budi")
    RoleAssignmentFactory(user=user, role=Role.BAPPEDA_ADMIN, region=wilayah["bogor"])
    return user


LIST = "/tatanan/lokal/2025/"


def edit_url(indicator):
    return f"/tatanan/lokal/2025/{indicator.pk}/"


def form_data(**extra):
    data = {"tatanan": Tatanan.objects.get(tatanan_set__code="2023", code="KSM").pk, "number": "L1", "name": "IKS"}
    data.update(extra)
    return data


class TestList:
    def test_rina_sees_serang_indicators_labelled_lokal_with_edit_links(self, client_for, rina, iks):
        html = client_for(rina).get(LIST).content.decode()
        assert 'data-kabupaten="36.04"' in html
        assert "Indeks Keluarga Sehat" in html
        assert "Lokal" in html
        assert f'href="{edit_url(iks)}"' in html

    def test_vina_reads_without_edit_links(self, client_for, vina, iks):
        html = client_for(vina).get(LIST).content.decode()
        assert "Indeks Keluarga Sehat" in html
        assert f'href="{edit_url(iks)}"' not in html

    @pytest.mark.parametrize("persona", ["wawan", "budi"])
    def test_other_regions_never_see_them(self, client_for, request, persona, iks):
        user = request.getfixturevalue(persona)
        client = client_for(user)
        html = client.get(LIST).content.decode()
        assert "Indeks Keluarga Sehat" not in html
        assert client.get(edit_url(iks)).status_code == 404
        # Nor in the catalogue's tatanan page.
        assert "Indeks Keluarga Sehat" not in client.get("/tatanan/2025/KSM/").content.decode()


class TestEdit:
    def test_rina_edits_the_wording(self, client_for, rina, iks):
        response = client_for(rina).post(
            edit_url(iks), form_data(name="IKS Kabupaten Serang", target="0,8", scale_text="100 = ya\n50 = sebagian")
        )
        assert response.status_code == 302
        iks.refresh_from_db()
        assert iks.name == "IKS Kabupaten Serang"
        assert [o.value for o in iks.scale_options.all()] == [100, 50]

    def test_an_invalid_scale_is_refused_with_a_message(self, client_for, rina, iks):
        response = client_for(rina).post(edit_url(iks), form_data(scale_text="60 = x"))
        assert response.status_code == 200
        assert "nilai 60 tidak sah" in response.content.decode()

    @pytest.mark.parametrize("persona", ["vina", "oscar", "sari", "wawan"])
    def test_others_get_404(self, client_for, request, persona, iks):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(edit_url(iks)).status_code == 404
        assert client.post(edit_url(iks), form_data(name="Diubah")).status_code == 404
        assert client.post(edit_url(iks) + "hapus/").status_code == 404
        iks.refresh_from_db()
        assert iks.name == "Indeks Keluarga Sehat"

    def test_rina_deletes_an_unused_one(self, client_for, rina, iks):
        assert client_for(rina).post(edit_url(iks) + "hapus/").status_code == 302
        assert not Indicator.objects.filter(pk=iks.pk).exists()
