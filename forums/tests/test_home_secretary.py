"""The secretary's phone-first home: their body, what it lacks, what to do next."""

from forums.models import Secretariat


def test_sari_sees_her_forum_and_what_it_lacks(client_for, sari, forum_carenang):
    Secretariat.objects.create(body=forum_carenang, address="Kantor Kecamatan Carenang")
    page = client_for(sari).get("/forum/beranda/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Forum Kecamatan Sehat Carenang" in html
    assert "Belum ada SK yang berlaku." in html
    assert "Alamat sekretariat belum diisi." not in html
    assert f"/forum/lembaga/{forum_carenang.pk}/sekretariat/" in html


def test_dewi_sees_her_pokja(client_for, dewi, pokja_carenang):
    page = client_for(dewi).get("/forum/beranda/")
    assert page.status_code == 200
    assert "Pokja Desa Sehat Carenang" in page.content.decode()


def test_no_secretary_no_home(client_for, rina):
    assert client_for(rina).get("/forum/beranda/").status_code == 404


def test_a_secretary_whose_forum_is_not_set_up_is_told_to_ask_bappeda(client_for, tono):
    page = client_for(tono).get("/forum/beranda/")
    assert page.status_code == 200
    assert "belum dibentuk di portal" in page.content.decode()


def test_the_dashboard_card_links_the_home(client_for, sari, forum_carenang):
    page = client_for(sari).get("/")
    assert page.status_code == 200
    assert 'href="/forum/beranda/"' in page.content.decode()
