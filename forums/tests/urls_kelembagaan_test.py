"""The project's URLs plus forums' own (with the kelembagaan pages), until kks_portal/urls.py includes them."""

from django.urls import include, path

from forums import urls as forums_urls
from forums.kelembagaan import urls as urls_kelembagaan
from kks_portal.urls import urlpatterns as project_urlpatterns

_included = any(
    getattr(p, "urlconf_name", None) in ("forums.kelembagaan.urls", urls_kelembagaan) for p in forums_urls.urlpatterns
)
_extra = [] if _included else urls_kelembagaan.urlpatterns

urlpatterns = [p for p in project_urlpatterns if getattr(p, "namespace", None) != "forums"]
urlpatterns.append(path("forum/", include(([*forums_urls.urlpatterns, *_extra], "forums"))))
