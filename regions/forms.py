from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH


class RegionSearchForm(forms.Form):
    """The search box of the region browser (a GET form, so the results page can be bookmarked).

    Rendered by hand in ``regions/_search.html`` rather than with crispy: it is one input in a
    Bootstrap input-group, which crispy's bootstrap5 pack does not lay out on its own.
    """

    q = forms.CharField(
        label=_("Cari wilayah"),
        min_length=SEARCH_MIN_LENGTH,
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": _("Ketik nama atau kode wilayah yang dicari."),
            "min_length": _("Ketik paling sedikit %(limit_value)d huruf atau angka untuk mencari wilayah."),
            "max_length": _("Kata pencarian terlalu panjang (paling banyak %(limit_value)d karakter)."),
        },
    )
