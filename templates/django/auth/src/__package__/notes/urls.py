"""The notes app's routes, mounted under `/api/v1` by the project's `urls.py`."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from .views import NoteViewSet

router = SimpleRouter(trailing_slash=False)
router.register("notes", NoteViewSet, basename="note")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
