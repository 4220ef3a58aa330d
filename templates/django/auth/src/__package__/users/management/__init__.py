"""Django finds `manage.py` commands in this package."""
