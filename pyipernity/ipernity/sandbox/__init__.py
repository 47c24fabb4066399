"""``ipernity.sandbox``: an offline Ipernity that behaves like the real one.

>>> from ipernity.sandbox import Sandbox
>>> sb = Sandbox()
>>> alice = sb.add_user("alice", realname="Alice")
>>> with sb.serve(port=0):                        # doctest: +SKIP
...     print(sb.api_url, sb.authorize_url)

Run ``python -m ipernity.sandbox`` for a sandbox filled with demo content.
"""

from importlib.util import find_spec

# The sandbox's needs are an extra of the library: say which, not "No module named PIL".
_missing = [name for name in ("werkzeug", "PIL") if find_spec(name) is None]
if _missing:
    raise ImportError(
        f"ipernity.sandbox needs {', '.join(_missing)}: pip install 'PyIpernity[sandbox]'",
        name=_missing[0],
    )

from .methods.registry import MethodError  # noqa: E402
from .records import Album, App, Call, Doc, Folder, Group, Post, User  # noqa: E402
from .sandbox import Sandbox  # noqa: E402
from .server import SandboxApp  # noqa: E402

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
