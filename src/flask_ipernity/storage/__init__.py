"""Where each visitor's token lives: the interface and the session backend."""

from .base import TokenMapping, TokenStorage
from .session import SessionStorage

__all__ = ["SessionStorage", "TokenMapping", "TokenStorage"]
