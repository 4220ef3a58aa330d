"""The projects app: a project groups tasks and has a unique name."""
