"""The sandbox's tunable behaviour, with its defaults in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Seconds a frob stays exchangeable ("a few minutes" on the live service).
DEFAULT_FROB_TTL = 300.0
#: Seconds an upload ticket takes to complete.
DEFAULT_UPLOAD_DELAY = 0.0
#: Largest file ``upload.file``/``upload.replace`` accept (error 2 beyond).
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass
class Settings:
    """Options of a :class:`~ipernity.sandbox.Sandbox`; change them at any time."""

    frob_ttl: float = DEFAULT_FROB_TTL
    upload_delay: float = DEFAULT_UPLOAD_DELAY
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    #: Seconds added before each API answer.
    latency: float = 0.0
    #: Seconds added before each media file (original or thumbnail) is served.
    media_latency: float = 0.0
    #: OAuth 1.0a: the request step confirms the callback
    #: (``oauth_callback_confirmed=true``), the member's approval comes back with
    #: an ``oauth_verifier``, and the access step requires it. Off by default, as
    #: on Ipernity, which sends no verifier.
    oauth_verifier: bool = False
    #: Drop the port of OAuth callback URLs, as Ipernity is reported to do
    #: (``http://localhost:5678/cb`` comes back as ``http://localhost/cb``). Off
    #: by default: a site under development needs its port.
    oauth_drop_callback_port: bool = False
    #: Host names the sandbox answers besides IP addresses and ``localhost``
    #: (the name it was started on is added); requests naming others are refused.
    allowed_hosts: set[str] = field(default_factory=set)
