# URLs of this feature; included by indicators/urls.py (namespace "indicators").
from django.urls import path

from . import views_fieldwork as views

urlpatterns = [
    path("<int:pk>/titik-pantau/", views.titik_pantau_list, name="titik_pantau_list"),
    path("<int:pk>/titik-pantau/tambah/", views.titik_pantau_create_view, name="titik_pantau_create"),
    path("<int:pk>/titik-pantau/<int:point_pk>/", views.titik_pantau_edit, name="titik_pantau_edit"),
    path("<int:pk>/titik-pantau/<int:point_pk>/hapus/", views.titik_pantau_delete_view, name="titik_pantau_delete"),
    path("<int:pk>/odf/", views.odf_overview, name="odf_overview"),
    path("<int:pk>/odf/<str:kecamatan>/", views.odf_edit, name="odf_edit"),
    path("<int:pk>/kelembagaan/", views.kelembagaan_edit, name="kelembagaan_edit"),
    path("<int:pk>/tatanan/", views.tatanan_choose, name="tatanan_choose"),
    path("<int:pk>/indikator-lokal/", views.local_indicator_list, name="local_indicator_list"),
    path("<int:pk>/indikator-lokal/<int:indicator_pk>/", views.local_indicator_edit, name="local_indicator_edit"),
    path(
        "<int:pk>/indikator-lokal/<int:indicator_pk>/hapus/",
        views.local_indicator_delete,
        name="local_indicator_delete",
    ),
]
