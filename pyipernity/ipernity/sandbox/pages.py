"""The HTML pages of the sandbox: sign-in, consent, confirmation and errors.

Plain pages with a little inline CSS. Programs that scrape the live service's
authorization page find the same landmarks here: the consent form is
``<form name="fa" method="post">`` whose hidden inputs, posted back, approve;
a desktop application's confirmation holds ``<div class="ok">``. Every value
shown is escaped, and no page ever shows a secret, token, frob or signature.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #222; margin: 0; }
main { max-width: 34rem; margin: 3rem auto; background: #fff; padding: 1.5rem 2rem;
       border-radius: 8px; box-shadow: 0 1px 4px rgba(0, 0, 0, .12); overflow-wrap: anywhere; }
@media (max-width: 36rem) { main { margin: 1rem .75rem; padding: 1rem 1.1rem; } }
h1 { font-size: 1.3rem; margin-top: 0; }
header { background: #2d3e50; color: #fff; padding: .6rem 1rem; font-weight: 600; }
ul.perms li { margin: .2rem 0; }
button { font: inherit; padding: .45rem 1rem; border-radius: 5px; border: 1px solid #2d3e50;
         background: #2d3e50; color: #fff; cursor: pointer; margin: 0 .5rem .5rem 0; }
button.secondary { background: #fff; color: #2d3e50; }
input[type=text] { font: inherit; padding: .4rem; width: 14rem; max-width: 100%; }
.ok { border-left: 4px solid #2e8b57; padding: .5rem 1rem; background: #eef8f1; }
.error { border-left: 4px solid #c0392b; padding: .5rem 1rem; background: #fbeeee; }
code { background: #f0f0f0; padding: 0 .25rem; }
"""

#: How each permission level reads on the consent page.
LEVEL_WORDS = {"read": "see", "write": "see and change", "delete": "see, change and delete"}
TARGET_WORDS = {
    "doc": "your documents",
    "blog": "your blog",
    "post": "your articles",
    "network": "your contacts",
    "profile": "your profile",
}


def layout(title: str, body: str) -> str:
    """A whole page around ``body`` (HTML), titled ``title`` (text)."""
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)} · Ipernity sandbox</title><style>{_STYLE}</style></head>"
        f"<body><header>Ipernity sandbox</header><main>{body}</main></body></html>\n"
    )


def error_page(title: str, message: str) -> str:
    """A page saying what went wrong, and nothing secret."""
    return layout(title, f"<h1>{escape(title)}</h1><div class='error'>{escape(message)}</div>")


def signin_page(
    members: Iterable[tuple[str, str]], unlisted: int = 0, error: str | None = None
) -> str:
    """The sign-in page: pick a member or type a name (no password).

    :param members: ``(username, realname)`` of the members to offer, in order.
    :param unlisted: how many other members there are, to be typed.
    """
    buttons = "".join(
        f"<button name='username' value='{escape(name)}'>{escape(realname or name)}</button>"
        for name, realname in members
    )
    notice = f"<div class='error'>{escape(error)}</div>" if error else ""
    more = f" {unlisted} more are not listed: type their name." if unlisted else ""
    return layout(
        "Sign in",
        "<h1>Sign in</h1>"
        f"{notice}<p>Choose a member of this sandbox, the newest first; no password is "
        f"needed.{more}</p>"
        f"<form method='post'><p>{buttons}</p>"
        "<p><label>Or a member name: <input type='text' name='username'></label> "
        "<button class='secondary'>Sign in</button></p>"
        "<p>A name nobody uses yet creates that member.</p></form>",
    )


def permission_list(asked: Mapping[str, str]) -> str:
    """The ``<ul>`` telling in words what an application asks for."""
    items = "".join(
        f"<li>{escape(LEVEL_WORDS.get(level, level))} {escape(TARGET_WORDS.get(target, target))}"
        f" <code>{escape(target)}: {escape(level)}</code></li>"
        for target, level in asked.items()
        if level != "none"
    )
    return f"<ul class='perms'>{items or '<li>know who you are, and nothing more</li>'}</ul>"


def consent_page(app_name: str, member: str, asked: Mapping[str, str], nonce: str) -> str:
    """Ask the signed-in member whether ``app_name`` may have ``asked``.

    Posting the form's hidden inputs back approves; the deny button declines.
    """
    return layout(
        "Authorize an application",
        f"<h1>{escape(app_name)} would like to access your account</h1>"
        f"<p>Signed in as <strong>{escape(member)}</strong>. If you agree, "
        f"{escape(app_name)} will be able to:</p>{permission_list(asked)}"
        "<form name='fa' method='post'>"
        f"<input type='hidden' name='nonce' value='{escape(nonce)}'>"
        "<input type='hidden' name='approve' value='1'>"
        "<button type='submit'>Authorize</button>"
        "<button type='submit' class='secondary' name='deny' value='1'>Deny</button>"
        "</form>",
    )


def confirmation_page(app_name: str, member: str, granted: Mapping[str, str]) -> str:
    """Tell the member that a desktop application may now finish signing in."""
    return layout(
        "Application authorized",
        f"<div class='ok'><h1>{escape(app_name)} is authorized</h1>"
        f"<p>{escape(member)}, you may close this window and go back to "
        f"{escape(app_name)}.</p></div>{permission_list(granted)}",
    )


def denied_page(app_name: str) -> str:
    """Tell the member that the application got nothing."""
    return layout(
        "Authorization declined",
        f"<h1>Authorization declined</h1><p>{escape(app_name)} was given no access.</p>",
    )


def home_page(api_url: str, authorize_url: str, members: Iterable[tuple[str, str]]) -> str:
    """The sandbox's front page: where the API and the authorization page are."""
    people = "".join(f"<li>{escape(name)} ({escape(realname)})</li>" for name, realname in members)
    return layout(
        "Ipernity sandbox",
        "<h1>An offline Ipernity</h1>"
        f"<p>API: <code>{escape(api_url)}</code><br>"
        f"Authorization page: <code>{escape(authorize_url)}</code></p>"
        f"<h2>Members</h2><ul>{people or '<li>none yet</li>'}</ul>",
    )
