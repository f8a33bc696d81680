"""Fixtures for comment tests (shared ones live in tests/conftest.py)."""
