"""`manage.py promote`."""
