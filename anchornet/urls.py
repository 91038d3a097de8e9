"""Top-level URL configuration: public pages at the root, the officers' admin at ADMIN_URL."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Records"

# While the database is unreachable, a 503 that says nothing was saved (core.outage).
handler500 = "core.outage.server_error"
# A request refused before any view (core.middleware): JSON under the Open Referral UK API.
handler400 = "api.views.bad_request"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("portal.urls")),
    path("", include("organisations.urls")),
    path("plans/", include("plans.urls")),
    path("meetings/", include("meetings.urls")),
    path("", include("engagement.urls")),
    path("", include("voices.urls")),
    path("api/oruk/", include("api.urls")),
]
