"""``python -m ipernity``: the interactive shell (see :mod:`ipernity.shell`)."""

from ipernity.shell import main

raise SystemExit(main())
