"""The jobs app's routes, mounted under `/api/v1` by the project's `urls.py`."""

from django.urls import URLPattern, URLResolver, path

from .views import JobDetailView

urlpatterns: list[URLPattern | URLResolver] = [
    path("jobs/<str:job_id>", JobDetailView.as_view(), name="job-detail"),
]
