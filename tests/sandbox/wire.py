"""Reading answers as text: JSON the way clients that do not parse it read it, and XML."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET


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
