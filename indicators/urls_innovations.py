# URLs of this feature; included by indicators/urls.py (namespace "indicators").
from django.urls import path

from . import views_innovations as views

urlpatterns = [
    path("<int:pk>/inovasi/", views.innovation_list, name="innovation_list"),
    path("<int:pk>/inovasi/tambah/", views.innovation_create_view, name="innovation_create"),
    path("<int:pk>/inovasi/<int:innovation_pk>/", views.innovation_edit, name="innovation_edit"),
    path("<int:pk>/inovasi/<int:innovation_pk>/hapus/", views.innovation_delete_view, name="innovation_delete"),
]
