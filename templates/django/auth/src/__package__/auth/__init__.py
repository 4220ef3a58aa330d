"""The auth app: registration, login, token rotation and logout, on sessions kept server-side."""
