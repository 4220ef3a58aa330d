"""Schema history of the tasks app, written by `makemigrations`."""
