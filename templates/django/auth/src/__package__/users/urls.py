"""The users app's routes, mounted under `/api/v1` by the project's `urls.py`."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from .views import MeView, UserViewSet

router = SimpleRouter(trailing_slash=False)
router.register("users", UserViewSet, basename="user")

urlpatterns: list[URLPattern | URLResolver] = [
    path("users/me", MeView.as_view(), name="user-me"),
    *router.urls,
]
