"""Where each visitor's token lives: the interface and the session backend."""

from .base import StorageUnavailable, TokenMapping, TokenStorage
from .session import SessionStorage

__all__ = ["SessionStorage", "StorageUnavailable", "TokenMapping", "TokenStorage"]
