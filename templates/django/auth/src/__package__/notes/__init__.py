"""The notes app: a resource each user owns, and only they can see."""
