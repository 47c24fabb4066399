"""``user.get`` and ``account.getQuota``."""

from __future__ import annotations

from datetime import datetime, timezone

from .. import media
from ..store import Store
from . import shapes
from .registry import Answer, Context, handler

#: What a free account may upload per month; PRO accounts are "unlimited".
FREE_MONTHLY_BYTES = 200 * 1024 * 1024
#: The service's internal cap on an "unlimited" upload allowance.
UNLIMITED_BYTES = 10 * 1024 * 1024 * 1024
#: How many albums a member may create.
MAX_ALBUMS = 2048


@handler("user.get")
def get_user(ctx: Context) -> Answer:
    """Describe a member (the calling one when ``user_id`` is left out)."""
    return {"user": shapes.user(ctx, ctx.user_row(), ctx.viewer)}


def _amount(size: int, limit: int) -> dict[str, int]:
    return {
        "bytes": size,
        "kb": size // 1024,
        "mb": size // (1024 * 1024),
        "percent": round(100 * size / limit) if limit else 0,
        "seconds": 0,
    }


def month_usage(store: Store, user_id: int) -> int:
    """Bytes a member uploaded since the start of this month (UTC)."""
    start = datetime.now(timezone.utc).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    docs = store.query(
        "SELECT * FROM docs WHERE owner_id = ? AND posted_at >= ?",
        (user_id, int(start.timestamp())),
    )
    return sum(media.file_size(store, doc) for doc in docs)


@handler("account.getQuota")
def get_quota(ctx: Context) -> Answer:
    """The calling member's upload allowance for this month."""
    user_id = ctx.me()
    store = ctx.store
    user = store.one("SELECT is_pro FROM users WHERE user_id = ?", (user_id,))
    is_pro = bool(user and user["is_pro"])
    limit = UNLIMITED_BYTES if is_pro else FREE_MONTHLY_BYTES
    used = month_usage(store, user_id)
    largest = ctx.settings.max_upload_bytes
    albums = store.scalar("SELECT COUNT(*) FROM albums WHERE owner_id = ?", (user_id,))
    per_file = {"bytes": largest, "kb": largest // 1024, "mb": largest // (1024 * 1024)}
    return {
        "quota": {
            "user_id": user_id,
            "is_pro": is_pro,
            "upload": {
                "unlimited": is_pro,
                "max": _amount(limit, limit),
                "used": _amount(used, limit),
                "left": _amount(max(limit - used, 0), limit),
            },
            "maxfilesize": dict.fromkeys(("photo", "audio", "video", "other"), per_file),
            "albums": {"max": MAX_ALBUMS, "created": albums, "left": MAX_ALBUMS - albums},
        }
    }
