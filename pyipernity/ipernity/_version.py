"""The release of this distribution (one definition; the packaging metadata reads it)."""

__version__ = version = "1.1.0"
__version_tuple__ = version_tuple = (1, 1, 0)
