"""Page objects: one class per page, the only code that knows how a page is built.

Tests call ``products.filter(category="books")`` and read
``products.names()``; when the markup changes, one class changes, not every
test. Locators use what a user relies on (roles, labels, text) or test ids
put there for the tests, never CSS paths that break with the layout.
"""
