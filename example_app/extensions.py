"""The site's Flask extensions, created unbound and set up by the app factory."""

from __future__ import annotations

from flask_ipernity import Ipernity

#: Flask-Ipernity: ``/login``, ``/callback``, ``/logout``, the media proxy, ``api``.
ipernity = Ipernity()
