# URLs of this feature; included by indicators/urls.py (namespace "indicators").
urlpatterns: list = []
