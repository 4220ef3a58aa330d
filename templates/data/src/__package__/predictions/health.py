"""The `model` readiness check: an instance without a model must not take traffic."""

from fastapi import Request


class ModelNotLoadedError(RuntimeError):
    """The app started without a registered model."""


def check_model(request: Request) -> None:
    """Raise unless a model version was loaded at startup (then `/health` answers 503)."""
    if getattr(request.app.state, "served_model", None) is None:
        msg = "no model is loaded: register one (make train) and restart"
        raise ModelNotLoadedError(msg)
