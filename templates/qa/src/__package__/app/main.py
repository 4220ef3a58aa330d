"""The app factory: the pages, the API and the state they share."""

from fastapi import FastAPI

from . import api, pages
from .accounts import SessionStore
from .feedback import FeedbackIn
from .settings import AppSettings


def create_app(settings: AppSettings | None = None) -> FastAPI:
    """A new app with its own sessions, so every test server starts clean."""
    app = FastAPI(title="Shop under test", version="1.0.0")
    app.state.settings = settings or AppSettings.from_environment()
    app.state.sessions = SessionStore()
    feedback: list[FeedbackIn] = []
    app.state.feedback = feedback
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        """The server is up."""
        return {"status": "ok"}

    return app
