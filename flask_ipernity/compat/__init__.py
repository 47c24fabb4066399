"""Flask-Ipernity 0.1's names, kept so that its sites upgrade without a change.

Each 0.1 name points at the current implementation and warns once (a
:class:`DeprecationWarning`, at the site's line or the template's) with the
name to use now, and is logged once per application on ``app.logger`` (see
:mod:`flask_ipernity.compat.deprecation`):

==================================  ================================================
0.1                                 now
==================================  ================================================
``ipernity.api``                    :data:`flask_ipernity.api`
``ipernity.authorize(p, next)``     ``redirect(current_extension().login_url(p, next))``
``ipernity.set_token()``            the ``/callback`` route
``ipernity.logout()``               ``current_extension().logout()``
``ipernity.session_get/set/pop``    :data:`flask.session`; for ``"token"``,
                                    ``current_extension().token``
``@ipernity_auth_required(p)``      :func:`flask_ipernity.login_required`
``flask_ipernity.login.User``       :class:`flask_ipernity.login_integration.LoginUser`
the 0.1 settings                    see :mod:`flask_ipernity.compat.settings`
``/ipernity/cb``, ``/login``,       ``/callback``, ``/login``, ``/logout`` under
``/logout``                         ``IPERNITY_URL_PREFIX``
``url_for("ip_login.login")``…      ``url_for("ipernity.login")``…
==================================  ================================================
"""

from .decorators import ipernity_auth_required
from .proxy import LegacyIpernity, ipernity

__all__ = ["LegacyIpernity", "ipernity", "ipernity_auth_required"]
