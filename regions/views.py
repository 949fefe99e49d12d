from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import Region


@login_required
def browse(request):
    return render(request, "regions/browse.html", {"regions": Region.objects.filter(level=1)})


@login_required
def detail(request, code):
    region = get_object_or_404(Region, code=code)
    return render(request, "regions/browse.html", {"region": region, "regions": region.children.all()})
