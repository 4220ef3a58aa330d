"""The users app: the custom user model, roles, and account administration."""
