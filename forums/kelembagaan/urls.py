"""URLs of the kelembagaan pages, included into the ``forums`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("beranda/", views.secretary_home, name="secretary_home"),
    path("kelembagaan/", views.kelembagaan_start, name="kelembagaan_start"),
    path("kelembagaan/<str:code>/", views.kelembagaan_table, name="kelembagaan_table"),
    path("kelembagaan/<str:code>/isi-penilaian/", views.kelembagaan_fill, name="kelembagaan_fill"),
    path("kelembagaan/<str:code>/minta-dokumen/", views.kelembagaan_request, name="kelembagaan_request"),
]
