"""Finding the code examples of the documentation: reST code blocks and Markdown fences."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = ROOT / "README.md"

#: Languages whose examples are Python code the tests execute.
PYTHON = frozenset({"python", "python3", "py"})
#: Languages of examples that are not Python: shell commands, sessions, config files, HTML.
NOT_PYTHON = frozenset({"sh", "console", "text", "ini", "html+jinja", "jinja", "html", "css"})

_RST_DIRECTIVE = re.compile(
    r"^(?P<indent> *)\.\. (?:code-block|code|sourcecode)::\s*(?P<lang>\S*)"
)
_MD_FENCE = re.compile(r"^```(?P<lang>\S*)\s*$")


@dataclass(frozen=True)
class Snippet:
    """One code example: where it is, its language and its code."""

    path: Path
    #: The line of the example's first line of code in its file (1-based).
    line: int
    language: str
    code: str
    #: The block's ``:caption:``; a file name there means "save me under this name".
    caption: str = ""

    @property
    def filename(self) -> str | None:
        """The file the example is, when its caption is a Python file name."""
        return self.caption if re.fullmatch(r"[\w.]+\.py", self.caption) else None

    @property
    def is_python(self) -> bool:
        """Whether the example is Python code the tests must run."""
        return self.language in PYTHON

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def pages() -> list[Path]:
    """Every page of the documentation: the README and the reST sources."""
    return [README, *sorted(DOCS.glob("*.rst"))]


def snippets(path: Path) -> list[Snippet]:
    """The code examples of one page, in order."""
    if path.suffix == ".md":
        return markdown_snippets(path)
    return rst_snippets(path)


def python_snippets(path: Path) -> list[Snippet]:
    """The Python examples of one page, in order."""
    return [snippet for snippet in snippets(path) if snippet.is_python]


def rst_snippets(path: Path) -> list[Snippet]:
    """The ``code-block`` directives of a reST file with their content."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines):
        match = _RST_DIRECTIVE.match(line)
        if match is None:
            continue
        indent = len(match["indent"])
        body_start = number + 1
        options: dict[str, str] = {}
        # Directive options (":caption: app.py") come before the blank line and the content.
        while body_start < len(lines) and lines[body_start].strip().startswith(":"):
            name, _, value = lines[body_start].strip()[1:].partition(":")
            options[name] = value.strip()
            body_start += 1
        body: list[str] = []
        for content in lines[body_start:]:
            if content.strip() and _indent(content) <= indent:
                break
            body.append(content)
        while body and not body[0].strip():
            body_start += 1
            body.pop(0)
        code = textwrap.dedent("\n".join(body)).rstrip() + "\n"
        language = match["lang"] or ""
        found.append(Snippet(path, body_start + 1, language, code, options.get("caption", "")))
    return found


def markdown_snippets(path: Path) -> list[Snippet]:
    """The fenced code blocks of a Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    number = 0
    while number < len(lines):
        match = _MD_FENCE.match(lines[number])
        number += 1
        if match is None:
            continue
        start = number
        while number < len(lines) and lines[number].rstrip() != "```":
            number += 1
        code = "\n".join(lines[start:number]) + "\n"
        found.append(Snippet(path, start + 1, match["lang"], code))
        number += 1
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
