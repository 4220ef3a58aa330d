"""The tasks app: a task belongs to one project; its title is unique within it."""
