from kks_portal.lib.url_ids import Router

from . import api
from .workflow import api as workflow_api

router = Router()
router.register("dossiers", api.DossierViewSet, basename="dossier")
urlpatterns = router.urls + workflow_api.urlpatterns
