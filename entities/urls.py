"""Site pages of the entities app."""

app_name = "entities"

urlpatterns = []
