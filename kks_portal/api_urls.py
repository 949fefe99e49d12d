from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api

urlpatterns = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="api-token"),
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from "?script", not inline (CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("", include("regions.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("tatanan.api_urls")),
    path("", include("indicators.api_urls")),
    path("", include("forums.api_urls")),
    path("", include("evidence.api_urls")),
    path("", include("dossiers.api_urls")),
]
