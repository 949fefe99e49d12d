"""The interface language: Indonesian unless the user chose another one.

The users are Indonesian offices (docs/DOMAIN.md); a browser that happens to be set to
English must not turn the portal English. Django's ``LocaleMiddleware`` reads the browser's
``Accept-Language``; this middleware replaces it and reads only the explicit choice, the
language cookie that the switch in ``templates/base.html`` sets through ``/i18n/setlang/``.
Without that cookie (or with a language the portal does not offer) it is ``LANGUAGE_CODE``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str:
    """The language the user chose with the switch, else the portal's default (Indonesian)."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Activate the chosen language for the request (pages, API, error messages alike)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The same URL answers in another language once the cookie is set.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
