"""Password hashing with argon2id, and login that takes as long for unknown users.

Argon2id is memory-hard: every guess costs an attacker 64 MiB of memory and
several passes over it, which is what makes GPU and ASIC cracking of a stolen
table expensive. The parameters travel inside each hash (PHC string format), so
they can be raised later: old hashes still verify, and are upgraded at the
user's next login.

That memory is also what the server pays: FastAPI runs sync endpoints in up to
40 threads, so 40 logins at once would ask for 40 x 64 MiB = 2.5 GiB. A
semaphore bounds how many hashes run at once (PASSWORD_HASHING_CONCURRENCY per
process); the other logins wait their turn, and memory stays near N x 64 MiB.
"""

import secrets
import threading
import unicodedata

from fastapi import Request
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

# RFC 9106's second recommended option, and above OWASP's minimum for argon2id:
# 64 MiB of memory, 3 passes, 4 lanes. Measure on your servers before lowering.
DEFAULT_TIME_COST = 3
DEFAULT_MEMORY_COST_KIB = 64 * 1024
DEFAULT_PARALLELISM = 4
# Hashes computed at once in one process when nothing else is said (the setting's default).
DEFAULT_MAX_CONCURRENT_HASHES = 2


def normalize_password(password: str) -> str:
    """Unicode NFKC normalization, so one password typed on two keyboards is one password.

    "é" can arrive as one code point or as "e" plus a combining accent; without
    normalization, a user who registered on one device could not log in on another.
    """
    return unicodedata.normalize("NFKC", password)


class PasswordHasher:
    """Hashes and verifies passwords with one argon2id configuration.

    It also keeps a *dummy hash*, made with the same parameters: a login for an
    email nobody registered is verified against it, so it costs exactly as much
    time as a login for a real account. Without it, answering "no such user"
    early would let anyone find out which emails have accounts by timing the
    responses (user enumeration).
    """

    def __init__(
        self,
        hasher: Argon2Hasher | None = None,
        *,
        max_concurrent: int = DEFAULT_MAX_CONCURRENT_HASHES,
    ) -> None:
        # Every hash and verification holds one slot: at most `max_concurrent` of
        # them (and their memory) at once, however many requests arrive together.
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._hash = PasswordHash(
            (
                hasher
                or Argon2Hasher(
                    time_cost=DEFAULT_TIME_COST,
                    memory_cost=DEFAULT_MEMORY_COST_KIB,
                    parallelism=DEFAULT_PARALLELISM,
                ),
            )
        )
        # Computed now, not at the first unknown-user login: that first login
        # would otherwise take twice as long and give the game away.
        self.dummy_hash = self._hash.hash(secrets.token_urlsafe(32))

    def hash(self, password: str) -> str:
        """The argon2id hash of the normalized password, with a fresh random salt."""
        with self._slots:
            return self._hash.hash(normalize_password(password))

    def verify(self, password: str, password_hash: str) -> tuple[bool, str | None]:
        """Check a password; the second value is a new hash when the parameters have changed.

        The comparison inside argon2 is constant-time, so how long it takes says
        nothing about how much of the password was right.
        """
        with self._slots:
            return self._hash.verify_and_update(normalize_password(password), password_hash)

    def verify_dummy(self, password: str) -> None:
        """Spend the time a real verification would, for a login with an unknown email."""
        with self._slots:
            self._hash.verify(normalize_password(password), self.dummy_hash)


_hashers: dict[int, PasswordHasher] = {}
_hashers_lock = threading.Lock()


def shared_password_hasher(max_concurrent: int) -> PasswordHasher:
    """The process's one hasher for this bound, built on first use.

    Built under a lock: two logins arriving together at a fresh server must not
    build two hashers, whose two semaphores would let twice as many hashes run.
    Built on first use rather than at import, so importing the package (a CLI,
    a migration, a test run) does not pay for the dummy hash.
    """
    with _hashers_lock:
        hasher = _hashers.get(max_concurrent)
        if hasher is None:
            hasher = _hashers[max_concurrent] = PasswordHasher(max_concurrent=max_concurrent)
        return hasher


def get_password_hasher(request: Request) -> PasswordHasher:
    """The app's hasher, a FastAPI dependency; tests override it with cheaper parameters.

    A plain `def`, so FastAPI runs it in a thread: the first call computes the
    dummy hash, which would otherwise stall the event loop for every request.
    """
    max_concurrent: int = request.app.state.settings.password_hashing_concurrency
    return shared_password_hasher(max_concurrent)
