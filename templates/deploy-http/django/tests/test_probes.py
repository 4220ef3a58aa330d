"""Probes reach /health with any Host header; nothing else gets past the host check."""

import pytest
from django.test import Client

# A Kubernetes probe's Host: the pod's IP and port, in no ALLOWED_HOSTS.
POD_HOST = "10.244.3.17:8000"


@pytest.mark.django_db
def test_a_probe_with_the_pods_ip_as_host_gets_the_health_answer() -> None:
    """The probe sees 200 and the checks, as a client on the public name would."""
    response = Client().get("/health", headers={"host": POD_HOST})
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    # It went down the whole chain: the security middleware's headers are on it.
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_any_other_path_with_that_host_is_refused() -> None:
    """Only /health skips the host check: the admin answers 400 to the same Host."""
    response = Client().get("/admin/login/", headers={"host": POD_HOST})
    assert response.status_code == 400


def test_any_other_method_on_health_with_that_host_is_refused() -> None:
    """A POST to /health is no probe: it goes through the host check, and fails it."""
    response = Client().post("/health", headers={"host": POD_HOST})
    assert response.status_code == 400
