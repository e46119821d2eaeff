"""Alembic revision scripts (a package so that a regular install ships them)."""
