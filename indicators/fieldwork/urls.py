# URLs of this feature; included by indicators/urls.py (namespace "indicators").
from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

urlpatterns = [
    path("<id:pk>/titik-pantau/", views.titik_pantau_list, name="titik_pantau_list"),
    path("<id:pk>/titik-pantau/tambah/", views.titik_pantau_create_view, name="titik_pantau_create"),
    path("<id:pk>/titik-pantau/<id:point_pk>/", views.titik_pantau_edit, name="titik_pantau_edit"),
    path("<id:pk>/titik-pantau/<id:point_pk>/hapus/", views.titik_pantau_delete_view, name="titik_pantau_delete"),
    path("<id:pk>/odf/", views.odf_overview, name="odf_overview"),
    path("<id:pk>/odf/<str:kecamatan>/", views.odf_edit, name="odf_edit"),
    path("<id:pk>/kelembagaan/", views.kelembagaan_edit, name="kelembagaan_edit"),
    path("<id:pk>/tatanan/", views.tatanan_choose, name="tatanan_choose"),
    path("<id:pk>/usulan/", views.usulan_edit, name="usulan_edit"),
    path("<id:pk>/indikator-lokal/", views.local_indicator_list, name="local_indicator_list"),
    path("<id:pk>/indikator-lokal/<id:indicator_pk>/", views.local_indicator_edit, name="local_indicator_edit"),
    path(
        "<id:pk>/indikator-lokal/<id:indicator_pk>/hapus/",
        views.local_indicator_delete,
        name="local_indicator_delete",
    ),
]
