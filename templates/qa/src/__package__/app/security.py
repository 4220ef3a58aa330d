"""Who is asking: the session from a bearer token (API) or a cookie (pages)."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .accounts import SessionStore

SESSION_COOKIE = "session"

bearer = HTTPBearer(auto_error=False)


def sessions(request: Request) -> SessionStore:
    """The app's session store."""
    store: SessionStore = request.app.state.sessions
    return store


def current_email(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The signed-in email, from the bearer token or the session cookie; 401 otherwise."""
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    email = sessions(request).email_for(token)
    if email is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Not signed in.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return email


CurrentEmail = Annotated[str, Depends(current_email)]
