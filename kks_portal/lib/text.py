"""Small pieces of running text built from data, in the reader's language."""

from collections.abc import Iterable

from django.utils.text import get_text_list
from django.utils.translation import gettext as _


def and_list(items: Iterable) -> str:
    """ "2023 dan 2024", "A, B dan C" — "and" in English: a list joined for a sentence."""
    return get_text_list([str(item) for item in items], _("dan"))
