"""The reference point page of a kabupaten (``evidence`` namespace, under /bukti/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("titik-acuan/<str:code>/", views.reference_point, name="reference_point"),
]
