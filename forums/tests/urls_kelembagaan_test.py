"""The project's URLs plus forums' own and the kelembagaan pages, until forums/urls.py includes them."""

from django.urls import include, path

from forums import urls as forums_urls
from forums import urls_kelembagaan
from kks_portal.urls import urlpatterns as project_urlpatterns

_names = {getattr(p, "name", None) for p in forums_urls.urlpatterns}
_extra = [p for p in urls_kelembagaan.urlpatterns if p.name not in _names]

urlpatterns = [p for p in project_urlpatterns if getattr(p, "namespace", None) != "forums"]
urlpatterns.append(path("forum/", include(([*forums_urls.urlpatterns, *_extra], "forums"))))
