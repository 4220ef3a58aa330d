"""A fast argon2 hasher for the tests, which also counts the argon2 work it does."""

from typing import ClassVar

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2Hasher(Argon2PasswordHasher):
    """Argon2id with minimal parameters; `computations` counts every hash and verification.

    The real parameters cost a large fraction of a second per hash, by design;
    tests make hundreds. The count is how a test proves that an unknown email
    costs the same argon2 work as a known one, without timing anything.
    """

    time_cost = 1
    memory_cost = 8
    parallelism = 1
    computations: ClassVar[int] = 0

    def encode(self, password: str, salt: str) -> str:
        """Hash, counted."""
        type(self).computations += 1
        return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        """Verify, counted."""
        type(self).computations += 1
        return super().verify(password, encoded)

    @classmethod
    def reset(cls) -> None:
        """Start counting from zero."""
        cls.computations = 0
