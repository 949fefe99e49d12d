"""The reference point page of a kabupaten (``evidence`` namespace, under /bukti/)."""

from django.urls import path

from . import views_reference

urlpatterns = [
    path("titik-acuan/<str:code>/", views_reference.reference_point, name="reference_point"),
]
