"""Authentication: who is calling, and may they?

- `passwords.py`: argon2id hashing, and the dummy hash that makes an unknown user's login
  as slow as a known user's.
- `tokens.py`: JWT access tokens (short-lived, signed) and opaque refresh tokens (random, hashed).
- `rate_limit.py`: the in-process limiter that throttles login and registration.
- `models.py`: login sessions and refresh tokens, kept in the database so they can be revoked.
- `service.py`: register, log in, refresh, log out, and check an access token.
- `dependencies.py`: `CurrentUser` and `AdminUser`, what routes declare to require a login
  or a role.
- `router.py`: `/api/v1/auth/...`.
"""
