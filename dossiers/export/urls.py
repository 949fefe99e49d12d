"""URLs of the SIPANTAS export downloads, included into the ``dossiers`` namespace."""

from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

urlpatterns = [
    path("<id:pk>/sipantas.json", views.sipantas_json_download, name="sipantas_json"),
    path("<id:pk>/sipantas.xlsx", views.sipantas_xlsx_download, name="sipantas_xlsx"),
    path("<id:pk>/sipantas-bukti.zip", views.sipantas_zip_download, name="sipantas_zip"),
    path(
        "<id:pk>/sipantas/<id:entry_pk>/<year:year>.zip", views.sipantas_entry_zip_download, name="sipantas_entry_zip"
    ),
]
