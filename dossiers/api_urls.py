from rest_framework.routers import SimpleRouter

from . import api, api_workflow

router = SimpleRouter()
router.register("dossiers", api.DossierViewSet, basename="dossier")
urlpatterns = router.urls + api_workflow.urlpatterns
