"""A Forum Kecamatan secretary keeps her body from a phone."""

import os

import pytest

from conftest import browser_login
from forums.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sari_adds_a_member_on_her_phone(phone, sari, forum_carenang):
    browser_login(phone, "sari")
    phone.goto("/forum/")
    # Her home: her body and what it lacks, with the things to do next.
    assert phone.locator("h1").inner_text() == "Forum Kecamatan Sehat Carenang"
    assert "SK" in phone.locator("#home-missing").inner_text()
    assert phone.locator("#home-todo a").count() >= 1
    phone.goto(f"/forum/lembaga/{forum_carenang.pk}/")
    assert phone.locator("h1").inner_text() == "Forum Kecamatan Sehat Carenang"
    assert "Belum ada SK yang berlaku." in phone.locator("#body-gaps").inner_text()
    # Nothing wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone.click("#add-member")
    phone.fill("input[name=name]", "Siti Aminah")
    phone.select_option("select[name=position]", "sekretaris")
    phone.select_option("select[name=origin]", "masyarakat")
    phone.fill("input[name=phone]", "081234567890")
    with phone.expect_navigation():
        phone.click("#member-form [type=submit]")
    assert "Siti Aminah" in phone.locator("#members").inner_text()
    assert Member.objects.get(body=forum_carenang).phone == "081234567890"
    if os.environ.get("KKS_SCREENSHOTS"):
        phone.screenshot(path=os.path.join(os.environ["KKS_SCREENSHOTS"], "forum-phone.png"), full_page=True)


def test_rina_sets_up_every_body_and_filters_by_kecamatan(desktop, rina, wilayah):
    browser_login(desktop, "rina")
    desktop.goto("/forum/lembaga/")
    with desktop.expect_navigation():
        desktop.click("#bulk-setup-36\\.04")
    assert "9 lembaga dibentuk" in desktop.locator(".alert-success").inner_text()
    assert desktop.locator("#body-counts [data-kind=pokja_desa] strong").inner_text() == "3"
    desktop.select_option("#id_kecamatan", "36.04.18")
    with desktop.expect_navigation():
        desktop.click("#body-filter [type=submit]")
    names = desktop.locator("#bodies [data-body] .fw-semibold").all_inner_texts()
    assert names == ["Forum Kecamatan Sehat Binuang", "Tim Pembina Kecamatan Sehat Binuang", "Pokja Desa Sehat Binuang"]
    if os.environ.get("KKS_SCREENSHOTS"):
        desktop.screenshot(path=os.path.join(os.environ["KKS_SCREENSHOTS"], "forum-list.png"), full_page=True)
