#!/usr/bin/env bash
# Development servers for `make run`: the identity provider, the mandate service (Suomi.fi-
# valtuudet stand-in) and the portal, side by side. Ctrl-C (or any server stopping) stops them
# all. Expects the venv, catalogs and database that `make run` prepares first.
#
#   VENV=.venv PORT=5000 IDP_PORT=9400 MANDATES_PORT=9500 bash scripts/dev-server.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=${VENV:-.venv}
PORT=${PORT:-5000}
IDP_PORT=${IDP_PORT:-9400}
MANDATES_PORT=${MANDATES_PORT:-9500}
PY="$VENV/bin/python"
PORTAL_URL="http://127.0.0.1:$PORT"
IDP_URL="http://127.0.0.1:$IDP_PORT"
MANDATES_SERVICE_URL="http://127.0.0.1:$MANDATES_PORT"

export PORTAL_ENV=development
# The portal's development defaults point at port 9400; follow IDP_PORT when it differs.
export CITIZEN_OIDC_ISSUER="${CITIZEN_OIDC_ISSUER:-$IDP_URL}"
export STAFF_OIDC_ISSUER="${STAFF_OIDC_ISSUER:-$IDP_URL}"
# Likewise the mandate service (development default: port 9500).
export MANDATES_URL="${MANDATES_URL:-$MANDATES_SERVICE_URL}"

pids=()
stop_all() {
    trap - EXIT INT TERM
    local pid
    for pid in "${pids[@]}"; do
        # Each server runs in its own process group (set -m below): stop it with its children.
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    echo "Stopped the portal, the identity provider and the mandate service."
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() {
    "$PY" - "$1" <<'EOF'
import socket, sys
with socket.socket() as s:
    sys.exit(s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0)
EOF
}
for port in "$IDP_PORT" "$MANDATES_PORT" "$PORT"; do
    if ! port_free "$port"; then
        echo "Port $port is already in use (another make run?). Stop it, or pick another:" \
             "make run PORT=5001 IDP_PORT=9401 MANDATES_PORT=9501" >&2
        trap - EXIT
        exit 1
    fi
done

set -m
"$PY" -m portal.devidp --port "$IDP_PORT" &
pids+=("$!")
"$PY" -m portal.mandates.devservice --port "$MANDATES_PORT" &
pids+=("$!")
"$VENV/bin/flask" --app portal.wsgi run --host 127.0.0.1 --port "$PORT" --debug &
pids+=("$!")
set +m

# Wait until all three answer, then print where to go and who to be.
"$PY" - "$IDP_URL/.well-known/openid-configuration" "$MANDATES_SERVICE_URL/" \
    "$PORTAL_URL/healthz" <<'EOF'
import sys, time, urllib.error, urllib.request
deadline = time.monotonic() + 60
for url in sys.argv[1:]:
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except urllib.error.HTTPError as err:
            if err.code < 500:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"{url} did not answer within 60 s; see the log above.")
        time.sleep(0.3)
EOF

"$PY" - "$PORTAL_URL" "$IDP_URL" "${MAIL_DIR:-instance/mail}" "$MANDATES_SERVICE_URL" <<'EOF'
import sys
from portal.demo import CITIZENS, MANDATES, STAFF, TEAMS

portal, idp, mail, mandates = sys.argv[1:]
teams = {t["slug"]: t["name"] for t in TEAMS}
print(f"""
============================================================================
 Työkykyportti is running (development; demo data only)
   Citizens:  {portal}/
   Staff:     {portal}/henkilosto/
   Identity provider (Suomi.fi-like + staff): {idp}/
   Mandate service (Suomi.fi-valtuudet-like): {mandates}/

 Demo citizens — choose one at the identity provider's login page:""")
for c in CITIZENS:
    print(f"   {c['hetu']}  {c['given_names']} {c['family_name']}")
print("\n Demo staff (login id, name, team):")
for s in STAFF:
    roles = ", ".join(s["roles"])
    print(f"   {s['sub']:<22} {s['name']:<22} {teams.get(s['team'], s['team'])} ({roles})")
names = {c["hetu"]: f"{c['given_names']} {c['family_name']}" for c in CITIZENS}
delegates = dict.fromkeys(m["delegate"] for m in MANDATES)
for delegate in delegates:
    print(f"\n Demo mandates: {names.get(delegate, delegate)} ({delegate}) acts on behalf of")
    for m in MANDATES:
        if m["delegate"] == delegate:
            print(f"   {m['principal']}  {m['principal_name']:<24} {m['note']}")
print(" (the mandate service offers all of them, so that the portal's refusals can be tried)")
print(f"""
 Demo cases: Eino's saate and self-assessment wait in Jyväskylä's queue, Siiri's case waits
 for her in Äänekoski, Väinö's pre-questionnaire is with the central team, and Helena
 sent Pertti's pre-questionnaire with her mandate (log in as Pertti to confirm it).
 E-mails from the portal are written to {mail}/ (a local SMTP sink).
 Ctrl-C stops the servers.
============================================================================
""", flush=True)
EOF

# Run until Ctrl-C or until either server exits.
status=0
wait -n || status=$?
echo "A server stopped (exit $status); stopping the other." >&2
exit "$status"
