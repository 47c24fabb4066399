"""The handlers of the API's methods, one module per family.

Importing this package registers every handler (see :mod:`.registry`).
"""

from . import (
    albums,
    auth,
    comments,
    docs,
    explore,
    faves,
    folders,
    groups,
    meta,
    network,
    posts,
    tags,
    upload,
    users,
)
from .registry import Context, MethodError, find_handler, handler, registered

__all__ = [
    "Context",
    "MethodError",
    "albums",
    "auth",
    "comments",
    "docs",
    "explore",
    "faves",
    "find_handler",
    "folders",
    "groups",
    "handler",
    "meta",
    "network",
    "posts",
    "registered",
    "tags",
    "upload",
    "users",
]
