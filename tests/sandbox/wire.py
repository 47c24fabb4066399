"""What the tests of the answers on the wire share: reading JSON as text, the
way clients that do not parse it read it, parsing XML, and a desktop login."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import requests

from ipernity.pytest_plugin import consent_form_fields
from ipernity.sandbox import App, Sandbox, User
from ipernity.signing import signature


def whitespace_outside_strings(text: str) -> str:
    """The whitespace of a JSON text found outside its string literals (none
    when the text is compact)."""
    found = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char.isspace():
            found.append(char)
    return "".join(found)


def by_position(text: str, field: int) -> str:
    """Field ``field`` of ``text`` as Ipernity's ShellScript API Kit reads a
    value: ``tr '"' ' ' | awk '{print $N}'``, run by the real ``tr`` and ``awk``."""
    shell = shutil.which("sh")
    assert shell is not None, "the kit's way needs a POSIX shell"
    result = subprocess.run(
        [shell, "-c", f"tr '\"' ' ' | awk '{{print ${field:d}}}'"],
        input=text,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout.strip()


def parse_xml(content: bytes) -> ET.Element:
    """Parse an XML answer of the sandbox (strictly: malformed XML raises)."""
    return ET.fromstring(content)  # noqa: S314 - the sandbox's own answers, nothing external


def approve_frob(sandbox: Sandbox, app: App, member: User, frob: str) -> None:
    """Approve a desktop application's ``frob`` (``doc: read``) as ``member``'s
    browser does: open the signed link, post the consent form back."""
    params = {"api_key": app.api_key, "frob": frob, "perm_doc": "read"}
    params["api_sig"] = signature(params, app.api_secret)
    with requests.Session() as browser:
        browser.cookies.update(sandbox.signin_cookies(member))
        page = browser.get(sandbox.authorize_url, params=params, timeout=30)
        confirmed = browser.post(
            sandbox.authorize_url, params=params, data=consent_form_fields(page.text), timeout=30
        )
    assert re.search(r"class=['\"]ok['\"]", confirmed.text), confirmed.text
