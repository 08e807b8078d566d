"""`python -m portal.notify [--port 8025] [--dir instance/mail]`: the development SMTP sink."""

from __future__ import annotations

import sys

from portal.notify.sink import main

if __name__ == "__main__":
    sys.exit(main())
