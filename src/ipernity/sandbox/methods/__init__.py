"""The handlers of the API's methods, one module per family.

Importing this package registers every handler (see :mod:`.registry`).
"""

from . import albums, auth, docs, folders, meta, upload, users
from .registry import Context, MethodError, find_handler, handler, registered

__all__ = [
    "Context",
    "MethodError",
    "albums",
    "auth",
    "docs",
    "find_handler",
    "folders",
    "handler",
    "meta",
    "registered",
    "upload",
    "users",
]
