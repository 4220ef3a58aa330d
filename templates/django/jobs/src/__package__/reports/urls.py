"""The reports app's routes, mounted under `/api/v1` by the project's `urls.py`."""

from django.urls import URLPattern, URLResolver, path

from .views import ReportDetailView, ReportListView, SaleDetailView, SaleListView

urlpatterns: list[URLPattern | URLResolver] = [
    path("sales", SaleListView.as_view(), name="sale-list"),
    path("sales/<str:sale_id>", SaleDetailView.as_view(), name="sale-detail"),
    path("reports", ReportListView.as_view(), name="report-list"),
    path("reports/<str:report_id>", ReportDetailView.as_view(), name="report-detail"),
]
