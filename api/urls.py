"""The Open Referral UK API's addresses, as the UK profile's OpenAPI description names them
(no trailing slash), under ``/api/oruk/``."""

from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.root, name="root"),
    path("openapi.json", views.openapi_document, name="openapi"),
    path("services", views.service_list, name="services"),
    path("services/<str:id>", views.service_detail, name="service"),
    path("service_at_locations", views.service_at_location_list, name="service_at_locations"),
    path("service_at_locations/<str:id>", views.service_at_location_detail, name="service_at_location"),
    path("taxonomies", views.taxonomy_list, name="taxonomies"),
    path("taxonomies/<str:id>", views.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_term_list, name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", views.taxonomy_term_detail, name="taxonomy_term"),
    re_path(r"^(?P<path>.+)$", views.unknown, name="unknown"),
]
