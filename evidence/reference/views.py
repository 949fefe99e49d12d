"""The reference point of a kabupaten: where its photos are expected, for the far-away flag.

Only the kabupaten's Bappeda admin (and the superuser) set it; anyone else finds no page (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import require_kabupaten_admin
from regions.models import Region

from ..models import ReferencePoint
from ..photos import reference_point_set
from .forms import ReferencePointForm


def _kabupaten_to_manage(user, code: str) -> Region:
    region = Region.objects.filter(code=code, level=Region.Level.KABKOTA).first()
    if region is None:
        raise Http404
    require_kabupaten_admin(user, region.code)
    return region


@login_required
def reference_point(request, code):
    kabupaten = _kabupaten_to_manage(request.user, code)
    point = ReferencePoint.objects.filter(kabupaten=kabupaten).first()
    initial = {"radius_km": 60}
    if point is not None:
        initial = {"latitude": point.latitude, "longitude": point.longitude, "radius_km": point.radius_km}
    form = ReferencePointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        reference_point_set(kabupaten=kabupaten, **form.cleaned_data)
        messages.success(request, _("Titik acuan disimpan. Foto kabupaten/kota ini sudah diperiksa ulang."))
        return redirect("evidence:reference_point", code=kabupaten.code)
    return render(request, "evidence/reference_point.html", {"kabupaten": kabupaten, "point": point, "form": form})
