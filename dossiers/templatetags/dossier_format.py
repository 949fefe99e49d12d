"""Template filters of the dossier PDF and pages: ``tanggal``, ``rupiah``, ``angka``, ``persen``, ``ukuran``."""

from django import template

from dossiers.renderer import formatting

register = template.Library()

register.filter("tanggal", formatting.tanggal)
register.filter("rupiah", formatting.rupiah)
register.filter("persen", formatting.persen)
register.filter("ukuran", formatting.ukuran)


@register.filter
def angka(value, places=2):
    return formatting.angka(value, int(places))
