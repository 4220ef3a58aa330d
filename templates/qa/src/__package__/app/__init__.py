"""The app under test: a small shop with server-rendered pages and a JSON API.

It exists to be tested. It is deliberately small, but it has what makes UI and
API automation interesting: a login, a list with filters, a form with
validation, a widget that loads slowly, and an OpenAPI document.
"""
