"""Top-level URL configuration: admin (``kaluga_cluster.admin``'s site), REST API and site pages.

``/healthz`` and ``/readyz`` are not routed here: ``HealthCheckMiddleware``
answers them before the Host header is validated (see ``kaluga_cluster.health``).
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("kaluga_cluster.api_urls")),
    path("", include("articles.urls")),
    path("", include("entities.urls")),
]

# With DEBUG off: JSON with a `detail` under /api/, the site's pages elsewhere,
# and 503 with Retry-After when the database cannot be reached.
handler400 = "kaluga_cluster.views.bad_request"
handler403 = "kaluga_cluster.views.permission_denied"
handler404 = "kaluga_cluster.views.page_not_found"
handler500 = "kaluga_cluster.views.server_error"
