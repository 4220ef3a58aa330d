"""The tasks app's routes, mounted under `/api/v1` by the project's `urls.py`."""

from django.urls import URLPattern, URLResolver, re_path
from rest_framework.routers import SimpleRouter

from .views import ProjectTasksView, TaskViewSet

router = SimpleRouter(trailing_slash=False)
router.register("tasks", TaskViewSet, basename="task")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    # Anything up to the next slash: the view answers 422 for what is not an id.
    re_path(r"^projects/(?P<project_id>[^/]+)/tasks$", ProjectTasksView.as_view()),
]
