"""The tasks app's routes, mounted under `/api/v1` by the project's `urls.py`."""

from django.urls import URLPattern, URLResolver, re_path
from rest_framework.routers import SimpleRouter

from .views import ProjectTasksView, TaskViewSet

router = SimpleRouter(trailing_slash=False)
router.register("tasks", TaskViewSet, basename="task")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    re_path(r"^projects/(?P<project_id>[0-9]{1,9})/tasks$", ProjectTasksView.as_view()),
]
