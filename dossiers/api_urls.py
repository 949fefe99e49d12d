from kks_portal.lib.url_ids import Router

from . import api, api_workflow

router = Router()
router.register("dossiers", api.DossierViewSet, basename="dossier")
urlpatterns = router.urls + api_workflow.urlpatterns
