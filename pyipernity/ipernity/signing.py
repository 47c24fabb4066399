"""Request signing, as the service and the sandbox both compute it.

The signature (``api_sig``) is the lowercase hex MD5 of one UTF-8 string: every
parameter except ``api_sig`` and ``file``, sorted by name, written as name then
value; then the method name (authorization links have none); then the API secret.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import TypeAlias

#: A value a caller may pass as an API parameter.
ParamValue: TypeAlias = "str | int | float | bool | list[str | int] | tuple[str | int, ...] | None"

#: Parameters that never take part in the signature.
UNSIGNED = frozenset({"api_sig", "file"})


def encode_value(value: ParamValue) -> str:
    """Return the text the service receives for one parameter value.

    Booleans become ``"1"``/``"0"``, numbers their decimal form, lists and tuples
    their items joined by commas (as ``album.docs.add(doc_id="1,2,3")`` expects).
    """
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return ",".join(encode_value(item) for item in value)
    raise TypeError(f"unsupported parameter value of type {type(value).__name__}")


def encode_params(params: Mapping[str, ParamValue]) -> dict[str, str]:
    """Encode parameter values as text, leaving out those that are ``None``."""
    return {name: encode_value(value) for name, value in params.items() if value is not None}


def signature(
    params: Mapping[str, str],
    secret: str,
    method: str | None = None,
    *,
    unsigned: frozenset[str] = UNSIGNED,
) -> str:
    """Compute ``api_sig`` for already encoded ``params``.

    :param params: the request's parameters, ``api_key`` (and ``auth_token``) included.
    :param secret: the application's API secret.
    :param method: the API method name, or ``None`` for an authorization link.
    :param unsigned: the parameters left out (``api_sig`` and ``file``, as the
        service specifies).
    :return: the signature as 32 lowercase hex digits.
    """
    parts = [name + params[name] for name in sorted(params) if name not in unsigned]
    if method:
        parts.append(method)
    parts.append(secret)
    # MD5 is what the service specifies; it authenticates, it does not protect secrets.
    return hashlib.md5("".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()


def is_valid_signature(
    params: Mapping[str, str],
    secret: str,
    method: str | None = None,
    *,
    unsigned: frozenset[str] = UNSIGNED,
) -> bool:
    """Tell whether ``params["api_sig"]`` is the right signature (constant time).

    :param unsigned: the parameters the signature leaves out, as for :func:`signature`.
    """
    given = params.get("api_sig", "")
    expected = signature(params, secret, method, unsigned=unsigned)
    # Bytes: compare_digest refuses text that is not ASCII, which anyone may send.
    return hmac.compare_digest(given.lower().encode(), expected.encode())
