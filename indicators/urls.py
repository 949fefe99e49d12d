from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:pk>/isian/<int:entry_pk>/", views.entry_edit, name="entry_edit"),
]
