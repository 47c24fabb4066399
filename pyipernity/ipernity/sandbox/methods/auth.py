"""``auth.*``: frobs and tokens.

``auth.getToken`` fails with error 1 for a frob that is unknown, used,
expired or whose grant was revoked, and with error 2 for a frob the member has
not approved yet (a desktop program may poll on 2).
"""

from __future__ import annotations

from .. import grants
from .registry import Answer, Context, MethodError, handler

#: Every sandbox member's language: its pages are in English.
MEMBER_LANGUAGE = "en"


@handler("auth.getFrob")
def get_frob(ctx: Context) -> Answer:
    """Issue a frob to take to the authorization page."""
    return {"auth": {"frob": grants.new_frob(ctx.store, ctx.app.app_id, ctx.settings.frob_ttl)}}


@handler("auth.getToken")
def get_token(ctx: Context) -> Answer:
    """Exchange an approved frob for the token, once."""
    frob = grants.live_frob(ctx.store, ctx.require("frob"), ctx.app.app_id)
    if frob is None:
        raise MethodError(1, "Invalid frob (unknown, used or expired)")
    if not frob["approved"]:
        raise MethodError(2, "Frob not validated yet by the member")
    grant = grants.find_grant(ctx.store, frob["user_id"], ctx.app.app_id)
    if grant is None:
        raise MethodError(1, "Invalid frob (the authorization was withdrawn)")
    grants.use_frob(ctx.store, frob["frob"])
    return {"auth": grants.token_mapping(ctx.store, grant)}


@handler("auth.checkToken")
def check_token(ctx: Context) -> Answer:
    """Describe the (valid) token the call carries.

    The answer is ``auth.getToken``'s, as PROTOCOL.md says, with the
    permissions also under ``perms``, the name in this method's sample, and
    the member's language (``lg``) and PRO status (``is_pro``) in ``user``.
    """
    grant = grants.token_grant(ctx.store, ctx.require("auth_token"))
    if grant is None:
        raise MethodError(107, "Invalid token (expired, revoked or unknown)")
    mapping = grants.token_mapping(ctx.store, grant)
    is_pro = ctx.store.scalar("SELECT is_pro FROM users WHERE user_id = ?", (grant["user_id"],))
    user = {**mapping["user"], "lg": MEMBER_LANGUAGE, "is_pro": bool(is_pro)}
    return {"auth": {**mapping, "perms": mapping["permissions"], "user": user}}
