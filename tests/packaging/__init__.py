"""Packaging tests: real wheels in fresh virtual environments."""
