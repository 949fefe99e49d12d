# URLs of this feature; included by indicators/urls.py (namespace "indicators").
from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

urlpatterns = [
    path("<id:pk>/inovasi/", views.innovation_list, name="innovation_list"),
    path("<id:pk>/inovasi/tambah/", views.innovation_create_view, name="innovation_create"),
    path("<id:pk>/inovasi/<id:innovation_pk>/", views.innovation_edit, name="innovation_edit"),
    path("<id:pk>/inovasi/<id:innovation_pk>/hapus/", views.innovation_delete_view, name="innovation_delete"),
]
