"""The test framework: what the tests around it are built from.

Page objects, the API client, the contract checker, environments and the live
server are code every test relies on: a broken page object or a wrong
contract check makes every test that uses it lie. So the framework is typed,
linted and measured by coverage like the app (``[tool.coverage.run]`` lists
this folder), and has tests of its own in ``tests/unit/``.
"""
