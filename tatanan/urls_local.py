# Local indicators of a kabupaten/kota; included by tatanan/urls.py (namespace "tatanan").
from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views_local

urlpatterns = [
    path("<year:award_year>/", views_local.local_list, name="local_list"),
    path("<year:award_year>/<id:pk>/", views_local.local_edit, name="local_edit"),
    path("<year:award_year>/<id:pk>/hapus/", views_local.local_delete, name="local_delete"),
]
