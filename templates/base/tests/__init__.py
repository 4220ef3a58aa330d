"""Tests for the project; pytest collects every test_*.py file below this folder."""
