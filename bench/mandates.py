"""Time the Suomi.fi-valtuudet calls a delegate's session makes, with the portal's own client.

    .venv/bin/python -m portal.mandates.devservice --port 9500 &   # or `make run`
    .venv/bin/python bench/mandates.py --url http://127.0.0.1:9500 --repeat 200

Acting for someone costs the portal, once: register, the OAuth code for a token, the delegate
query and an authorization query; then one authorization query per re-check
(MANDATES_RECHECK_SECONDS) and per send. This prints each step's median and p95 over --repeat
flows against the development mandate service, so the re-check interval can be weighed against
what a call costs. The real service is further away: add its network round trip.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.demo import MANDATE_ISSUE, MANDATES  # noqa: E402
from portal.mandates import ValtuudetClient  # noqa: E402

CALLBACK = "http://127.0.0.1:5000/kuka-tayttaa/puolesta/paluu"
DELEGATE = MANDATES[0]["delegate"]
PRINCIPAL = MANDATES[0]["principal"]


def timed(into: list[float], call: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = call()
    into.append((time.perf_counter() - start) * 1000)
    return result


def one_flow(client: ValtuudetClient, times: dict[str, list[float]]) -> None:
    registration = timed(times["register"], lambda: client.register(DELEGATE))
    authorize = client.authorize_url(registration, CALLBACK, "fi")
    # The person's choice at the service's page (a browser's part, not timed).
    page = requests.get(authorize, timeout=10)
    assert re.search(r'name="principal"', page.text)
    chosen = requests.post(
        authorize, data={"principal": PRINCIPAL}, allow_redirects=False, timeout=10
    )
    code = parse_qs(urlsplit(chosen.headers["Location"]).query)["code"][0]
    token = timed(times["token"], lambda: client.exchange_code(code, CALLBACK))
    timed(times["principals"], lambda: client.principals(registration.session_id, token))
    allowed = timed(
        times["authorization"],
        lambda: client.is_allowed(registration.session_id, token, PRINCIPAL, MANDATE_ISSUE),
    )
    assert allowed, "the demo mandate should be in force"
    client.unregister(registration.session_id)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:9500", help="a running mandate service")
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args(argv)
    url = args.url
    client = ValtuudetClient(url, "tyokykyportti", "dev-api-key", "dev-oauth-secret")
    times: dict[str, list[float]] = {
        k: [] for k in ("register", "token", "principals", "authorization")
    }
    one_flow(client, {k: [] for k in times})  # warm-up
    for _ in range(args.repeat):
        one_flow(client, times)
    print(f"Suomi.fi-valtuudet calls, development service at {url}, {args.repeat} flows")
    print(f"{'step':<16}{'median ms':>10}{'p95 ms':>10}")
    for step, values in times.items():
        print(f"{step:<16}{statistics.median(values):>10.2f}{p95(values):>10.2f}")
    start = sum(statistics.median(v) for v in times.values())
    print(f"{'start of acting':<16}{start:>10.2f}   (sum of medians; plus the person's choice)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
