"""Development SMTP sink: `python -m portal.notify.sink [--port 8025] [--dir instance/mail]`.

A real SMTP server (aiosmtpd) that delivers nothing: each message it receives is written as one
`.eml` file, which any mail program opens. `make run` starts it beside the portal; the tests start
it to read what the portal really sent. Never deployed (aiosmtpd is a development dependency).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class EmlWriter:
    """aiosmtpd handler: every accepted message becomes `<time>-<id>.eml` in the directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        # The envelope says who it was really sent to (Bcc included); headers may not.
        head = (
            f"X-Sink-Mail-From: {envelope.mail_from}\r\n"
            f"X-Sink-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        final = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        partial = final.with_suffix(".part")
        partial.write_bytes(head + content)
        partial.rename(final)  # readers never see half a message
        return "250 Message accepted (written to a file, not delivered)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portal.notify.sink",
        description="Development SMTP server that writes each message to a .eml file.",
    )
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--dir", type=Path, default=Path("instance/mail"), help="where to write")
    args = parser.parse_args(argv)

    args.dir.mkdir(parents=True, exist_ok=True)
    controller = Controller(EmlWriter(args.dir), hostname=args.host, port=args.port)
    try:
        controller.start()  # binds now, or fails now (port in use)
    except Exception as error:
        print(f"SMTP sink could not start on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1

    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(
        f"SMTP sink on {args.host}:{args.port}: messages are written to {args.dir.resolve()}/",
        flush=True,
    )
    try:
        while not stop.wait(1):
            pass
    finally:
        controller.stop()
        print("SMTP sink stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
