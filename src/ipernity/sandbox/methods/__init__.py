"""The handlers of the API's methods, one module per family.

Importing this package registers every handler (see :mod:`.registry`).
"""

from . import auth, docs, meta, users
from .registry import Context, MethodError, find_handler, handler, registered

__all__ = [
    "Context",
    "MethodError",
    "auth",
    "docs",
    "find_handler",
    "handler",
    "meta",
    "registered",
    "users",
]
