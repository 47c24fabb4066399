"""``python -m example_app``: serve Lightbox for development (``make run``).

The same development server as ``flask --app example_app run``, on
http://127.0.0.1:5000 by default; but a configuration the site cannot work
with (OAuth without its extra, or without a verifier on a real key) is one
line on the error output and exit status 2, not a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from flask_ipernity import ConfigurationError

from . import create_app


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the site until interrupted; return the exit status.

    :param argv: the command line's arguments (``--host``, ``--port``).
    """
    parser = argparse.ArgumentParser(prog="python -m example_app", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=5000, help="port (0: any free one)")
    args = parser.parse_args(argv)
    try:
        app = create_app()
    except ConfigurationError as error:
        print(f"Lightbox cannot start: {error}", file=sys.stderr)
        return 2
    app.run(host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
