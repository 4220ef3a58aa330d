"""Notes: a resource each user owns, and nobody else can see, change or even detect."""
