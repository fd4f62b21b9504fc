"""REST API routes under /api/."""

urlpatterns = []
