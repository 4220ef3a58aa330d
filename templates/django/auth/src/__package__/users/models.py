"""The custom user model: an account is an email address, a password hash and a role.

Django's own `User` logs in with a `username`. This project logs in with an email,
so it has its own model, set by `AUTH_USER_MODEL` in settings. Django can swap the
user model only before the first migration, because every table that points at
users (the admin's log, the notes, the sessions) is created against it; so the
project starts with its own, even where it matches Django's.
"""

import re
import unicodedata
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models

# RFC 5321 limits an address to 254 characters; nothing longer can receive mail.
EMAIL_MAX_LENGTH = 254

# A combining dot above (U+0307) on an i or a j: the letter's own dot, drawn twice.
# Case folding leaves one on the i that a capital I with a dot (U+0130) becomes.
_REDUNDANT_DOT = re.compile("(?<=[ij])\u0307")


def normalize_email(email: str) -> str:
    """One spelling per address: surrounding spaces dropped, Unicode NFKC, then case folding.

    Look-alikes must not become separate accounts. NFKC turns compatibility
    characters into their plain form (an address typed in fullwidth letters is the
    plain one); `casefold()` is `lower()` for every script, and the extra dot the
    Turkish capital I with a dot leaves on its folded `i` is dropped. Mail servers
    may in theory treat `Ada@` and `ada@` as two mailboxes, but almost none do, and
    two accounts that differ only by case or width would be an impersonation
    waiting to happen. (Django's `BaseUserManager.normalize_email` only lowercases
    the domain.)
    """
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return unicodedata.normalize("NFKC", _REDUNDANT_DOT.sub("", folded))


class Role(models.TextChoices):
    """What a user may do through the API. Stored as its value: `admin` or `user`."""

    ADMIN = "admin", "Admin"
    USER = "user", "User"


class UserManager(BaseUserManager["User"]):
    """How accounts are made: `manage.py createsuperuser`, registration and the tests use it."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        """An account with a hashed password (argon2id); `None` makes one that cannot log in."""
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        """An admin of the API and of the Django admin site (`manage.py createsuperuser`)."""
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        """The account of an email, in any spelling (the admin's login form looks it up here)."""
        return self.get(email=normalize_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Only the password's argon2 hash is stored (`password`, from AbstractBaseUser).

    Two kinds of power, kept apart: `role` is what the API lets the account do
    (read from this row on every request, never from a token, so a demotion
    applies at once); `is_staff` and `is_superuser` open the Django admin site.
    """

    # Stored normalized (`normalize_email`), so the unique index sees one spelling.
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH, unique=True)
    # A VARCHAR with a CHECK constraint (below): the database refuses any other value.
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.USER)
    # Deactivating keeps the row (and what the user owns) but ends every session at once.
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May log in to the Django admin.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    # What `createsuperuser` asks besides the email and the password: nothing.
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        """Table name, default order, and the roles the database accepts."""

        db_table = "users"
        ordering = ("id",)
        constraints = (
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="ck_users_role"),
        )

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        """The admin's forms validate through here: store the email normalized."""
        super().clean()
        self.email = normalize_email(self.email)
