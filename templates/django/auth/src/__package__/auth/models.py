"""Server-side state behind the tokens: login sessions and their refresh tokens.

A login opens an `AuthSession`. The session hands out one refresh token at a
time: each refresh marks the presented token used and issues its successor
(rotation). Access tokens name their session in the `sid` claim, so revoking a
session (logout, reuse detected, account deactivated) ends its access tokens
too, without waiting for them to expire. The name is the session's random
`public_id`, never its row id: row ids count up, so one session's id would tell
a token forger the ids of all the others.
"""

import secrets

from django.conf import settings
from django.db import models

# A SHA-256 digest written as hexadecimal.
TOKEN_HASH_LENGTH = 64
# 24 random bytes, URL-safe base64: 32 characters, 192 bits nobody can guess.
SESSION_PUBLIC_ID_BYTES = 24
SESSION_PUBLIC_ID_LENGTH = 32


def new_session_public_id() -> str:
    """A fresh random session name for the `sid` claim, from the operating system's CSPRNG."""
    return secrets.token_urlsafe(SESSION_PUBLIC_ID_BYTES)


class AuthSession(models.Model):
    """One login on one device: it lives until logout, revocation or `expires_at`."""

    # What access tokens call the session (`sid`): random, unique, never the row id.
    public_id = models.CharField(
        max_length=SESSION_PUBLIC_ID_LENGTH, unique=True, default=new_session_public_id
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_sessions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Fixed at login: rotating the refresh token never pushes it back, so a
    # stolen token chain cannot keep a session alive forever.
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        """The FastAPI path's table name: SQL written against one works on the other."""

        db_table = "auth_sessions"


class RefreshToken(models.Model):
    """A refresh token, stored as its SHA-256 digest, never as the token itself.

    Whoever reads the table (a backup, a leaked dump, a curious operator) cannot
    use what they read: the token is 256 random bits, so its hash cannot be
    reversed or guessed. A slow hash like argon2 is for low-entropy passwords;
    here it would only slow every refresh down.
    """

    session = models.ForeignKey(
        AuthSession, on_delete=models.CASCADE, related_name="refresh_tokens"
    )
    # Unique, and indexed by that constraint: a refresh looks its token up by hash.
    token_hash = models.CharField(max_length=TOKEN_HASH_LENGTH, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the token is exchanged for its successor. A token that comes back
    # after that was copied: the session is revoked (reuse detection).
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        """The FastAPI path's table name."""

        db_table = "refresh_tokens"
