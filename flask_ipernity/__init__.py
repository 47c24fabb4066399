"""Flask-Ipernity: log a site's visitors in with Ipernity and call the API for them.

::

    from flask import Flask
    from flask_ipernity import Ipernity, api, login_required

    app = Flask(__name__)
    app.config.update(SECRET_KEY=..., IPERNITY_API_KEY=..., IPERNITY_API_SECRET=...)
    ipernity = Ipernity(app)

    @app.route("/albums")
    @login_required(doc="read")
    def albums():
        return render_template("albums.html", albums=list(api.walk_albums()))

The configuration keys are documented in :mod:`flask_ipernity.config`.
"""

from ._version import __version__, __version_tuple__, version, version_tuple
from .compat import ipernity, ipernity_auth_required
from .decorators import login_required
from .extension import ConfigurationError, Ipernity, api, current_extension, current_member
from .member import Member
from .signals import logged_in, logged_out, login_failed
from .storage import SessionStorage, TokenStorage

__all__ = [
    "ConfigurationError",
    "Ipernity",
    "Member",
    "SessionStorage",
    "TokenStorage",
    "__version__",
    "__version_tuple__",
    "api",
    "current_extension",
    "current_member",
    "ipernity",
    "ipernity_auth_required",
    "logged_in",
    "logged_out",
    "login_failed",
    "login_required",
    "version",
    "version_tuple",
]
