"""Schema history of the projects app, written by `makemigrations`."""
