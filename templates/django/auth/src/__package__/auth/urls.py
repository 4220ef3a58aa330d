"""The auth app's routes, mounted under `/api/v1` by the project's `urls.py`."""

from django.urls import URLPattern, URLResolver, path

from .views import LogoutView, RefreshView, RegisterView, TokenView

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/register", RegisterView.as_view(), name="auth-register"),
    path("auth/token", TokenView.as_view(), name="auth-token"),
    path("auth/refresh", RefreshView.as_view(), name="auth-refresh"),
    path("auth/logout", LogoutView.as_view(), name="auth-logout"),
]
