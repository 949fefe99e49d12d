"""Indonesian whatever the browser's language; English only once the user chose it (issue 12).

``kks_portal.middleware.ChosenLanguageMiddleware`` reads the language cookie that the switch in
``templates/base.html`` sets through ``/i18n/setlang/``, never ``Accept-Language``.
"""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def choose(client, language: str, next_url: str = "/"):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url}, **ENGLISH_BROWSER)
    assert response.status_code == 302
    return response


def test_an_english_browser_gets_the_indonesian_login_page(client):
    response = client.get(reverse("login"), **ENGLISH_BROWSER)
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Masuk ke KKS Portal" in html
    assert "Sign in to KKS Portal" not in html
    assert response["Content-Language"] == "id"


def test_an_english_browser_gets_the_indonesian_dashboard(client_for, sari):
    html = client_for(sari).get("/", **ENGLISH_BROWSER).content.decode()
    assert "Selamat datang" in html
    assert "Welcome" not in html


def test_english_after_choosing_it_and_indonesian_again_after_choosing_that(client_for, sari):
    client = client_for(sari)
    choose(client, "en")
    html = client.get("/", **ENGLISH_BROWSER).content.decode()
    assert '<html lang="en">' in html
    assert "Welcome" in html
    # Even a browser that asks for Indonesian keeps the choice made with the switch.
    assert "Welcome" in client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    choose(client, "id")
    html = client.get("/", **ENGLISH_BROWSER).content.decode()
    assert '<html lang="id">' in html
    assert "Selamat datang" in html


def test_an_unknown_language_in_the_cookie_falls_back_to_indonesian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Masuk ke KKS Portal" in client.get(reverse("login"), **ENGLISH_BROWSER).content.decode()


def test_the_api_answers_in_indonesian_to_an_english_browser_and_in_english_when_chosen(client):
    response = client.get(reverse("api-me"), **ENGLISH_BROWSER)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Data autentikasi tidak diberikan."
    assert response["Content-Language"] == "id"
    choose(client, "en")
    english = client.get(reverse("api-me"), **ENGLISH_BROWSER).json()
    assert english["error"]["message"] == "Authentication credentials were not provided."


def test_a_public_page_is_indonesian_for_an_english_browser(client):
    response = client.get(reverse("about"), **ENGLISH_BROWSER)
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()


def test_a_list_of_years_is_joined_in_the_readers_language():
    from django.template import Context, Template
    from django.utils import translation

    from kks_portal.lib.text import and_list

    with translation.override("id"):
        assert and_list([2023, 2024]) == "2023 dan 2024"
        assert Template("{% load region_words %}{{ years|and_list }}").render(Context({"years": [2023, 2024]})) == (
            "2023 dan 2024"
        )
    with translation.override("en"):
        assert and_list([2023, 2024]) == "2023 and 2024"
        assert and_list(["A", "B", "C"]) == "A, B and C"
