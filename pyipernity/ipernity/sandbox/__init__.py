"""``ipernity.sandbox``: an offline Ipernity that behaves like the real one.

>>> from ipernity.sandbox import Sandbox
>>> sb = Sandbox()
>>> alice = sb.add_user("alice", realname="Alice")
>>> with sb.serve(port=0):                        # doctest: +SKIP
...     print(sb.api_url, sb.authorize_url)

Run ``python -m ipernity.sandbox`` for a sandbox filled with demo content.
"""

from .methods.registry import MethodError
from .records import Album, App, Call, Doc, Folder, Group, Post, User
from .sandbox import Sandbox
from .server import SandboxApp

__all__ = [
    "Album",
    "App",
    "Call",
    "Doc",
    "Folder",
    "Group",
    "MethodError",
    "Post",
    "Sandbox",
    "SandboxApp",
    "User",
]
