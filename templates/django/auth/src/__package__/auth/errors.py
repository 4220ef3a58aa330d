"""The errors of authentication, in the project's one error body.

- 401 Unauthorized means "we do not know who you are": no token, a bad one, or
  a wrong password. It carries `WWW-Authenticate`, which tells the client how
  to authenticate (RFC 9110 requires it on every 401); `errors.exception_handler`
  sends each exception's `auth_header`.
- 403 Forbidden (DRF's `PermissionDenied`) means "we know who you are, and the answer is no".
- 429 Too Many Requests (DRF's `Throttled`) carries `Retry-After`.

These are plain `APIException`s rather than DRF's `AuthenticationFailed`: DRF
rewrites the header of that one from the view's authentication classes, and
the token endpoints have none (they are where credentials come from).
"""

from http import HTTPStatus

from rest_framework.exceptions import APIException


class InvalidCredentialsError(APIException):
    """The email and password do not match an active account (401).

    One message for an unknown email, a wrong password and a deactivated
    account: telling them apart would tell an attacker which emails exist.
    """

    status_code = HTTPStatus.UNAUTHORIZED
    default_detail = "Incorrect email or password."
    error_code = "invalid_credentials"
    # RFC 6750: the scheme to use; `error=` only when a token was sent and was bad.
    auth_header = "Bearer"


class InvalidTokenError(APIException):
    """The token is malformed, forged, expired, revoked or of the wrong kind (401)."""

    status_code = HTTPStatus.UNAUTHORIZED
    default_detail = "The token is invalid."
    error_code = "invalid_token"
    auth_header = 'Bearer error="invalid_token"'
