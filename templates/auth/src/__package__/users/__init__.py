"""User accounts: the `users` table, `/users/me`, and the admin-only user endpoints."""
