"""The products app's routes, mounted under `/api/v1` by the project's `urls.py`."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from .views import ProductViewSet

router = SimpleRouter(trailing_slash=False)
router.register("products", ProductViewSet, basename="product")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
