"""`python -m portal.devidp [--port 9400] [--host 127.0.0.1] [--token-max-age SECONDS]`."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from datetime import timedelta
from types import FrameType

from werkzeug.serving import make_server

from portal.devidp import DEFAULT_TOKEN_MAX_AGE, create_provider
from portal.devidp.users import demo_subjects


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portal.devidp",
        description="Development Suomi.fi and staff identity provider (never for production).",
    )
    parser.add_argument("--port", type=int, default=9400)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--token-max-age",
        type=int,
        metavar="SECONDS",
        default=int(DEFAULT_TOKEN_MAX_AGE.total_seconds()),
        help="lifetime of the access and ID tokens (default: %(default)s)",
    )
    parser.add_argument("--list", action="store_true", help="print the demo subjects and exit")
    args = parser.parse_args(argv)

    if args.list:
        for kind, subs in demo_subjects().items():
            print(f"{kind}: {', '.join(subs)}")
        return 0
    if args.token_max_age < 1:
        parser.error("--token-max-age must be at least 1 second")

    # The provider talks plain http locally; authlib refuses that unless told.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    # Plain messages only: the mock attaches the user (claims, hetu included) as log extras.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    app = create_provider(timedelta(seconds=args.token_max_age))
    server = make_server(args.host, args.port, app, threaded=True)  # binds now, or fails now

    def _stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    print(
        f"Development identity provider at http://{args.host}:{server.server_port}"
        f" (tokens live {args.token_max_age} s)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print("Development identity provider stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
