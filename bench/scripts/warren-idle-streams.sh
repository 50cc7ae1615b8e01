#!/usr/bin/env bash
# What idle connect() streams cost (issue 6): an edge and a connector as separate processes (warren-lib.sh, 4 tunnel
# connections, default event loops), a connect: front door to an idle echo host (python3, one epoll loop), and a
# python3 client that opens STREAMS TCP connections to the front door and leaves them idle: each one is a stream
# through the tunnel and a connection from the connector to the echo host. Prints the RSS (VmRSS) and open file
# descriptors of the edge and the connector when idle (started, tunnel up, no stream yet) and with every stream
# open (counted as established connections at the echo host), then checks that every 100th stream still echoes.
#
#   bench/scripts/warren-idle-streams.sh                   # STREAMS=10000 ADDR=127.0.67.1 SETTLE=3 TLS=0
#   STREAMS=1000 bench/scripts/warren-idle-streams.sh      # a quick look
#   TLS=1 bench/scripts/warren-idle-streams.sh             # through a TLS tunnel
#
# Target: each process at most LIMIT_MIB (64) MiB above its idle RSS. The last line is machine-readable:
#   RESULT streams=N edge_idle_kib=.. edge_loaded_kib=.. connector_idle_kib=.. connector_loaded_kib=..
# Exit status: 0 target met, 1 not met, 2 could not measure. Every process needs about STREAMS file descriptors
# (the edge: one per client; the connector: one per private-host connection; the client and the echo host too):
# the script raises `ulimit -n` to 65536 where allowed, else to the hard limit, and stops if that is too few.
# Loopback only; OUT (default a temporary folder) keeps the logs.
set -uo pipefail
STREAMS=${STREAMS:-10000}; ADDR=${ADDR:-127.0.67.1}; SETTLE=${SETTLE:-3}; TLS=${TLS:-0}; LIMIT_MIB=${LIMIT_MIB:-64}
case "$ADDR" in 127.*) ;; *) echo "ADDR must be a loopback address (127.0.0.0/8), not $ADDR" >&2; exit 2 ;; esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"; cd "$root"
work="${OUT:-$(mktemp -d /tmp/warren-idle.XXXXXX)}"; mkdir -p "$work"
ECHO_PORT=${ECHO_PORT:-17900}; DOOR_PORT=${DOOR_PORT:-17901}; TUNNEL_PORT=${TUNNEL_PORT:-17902}

ulimit -n 65536 2> /dev/null || ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
echo "fd limit:    $(ulimit -n) (ulimit -n of this script and what it starts)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((STREAMS + 512)) ]; then
    echo "idle-streams: ulimit -n is $(ulimit -n), too few for $STREAMS streams (needs $((STREAMS + 512)))" >&2
    exit 2
fi

pids=()
cleanup() {
    [ -n "${client_in:-}" ] && exec {client_in}>&- 2> /dev/null
    local p
    for p in "${pids[@]}"; do kill "$p" 2> /dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2> /dev/null; done
}
trap cleanup EXIT

# The private host: accepts, echoes whatever comes, never closes first.
python3 - "$ADDR" "$ECHO_PORT" > "$work/echo.log" 2>&1 << 'PY' &
import selectors, socket, sys
sel = selectors.DefaultSelector()
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen(4096)
server.setblocking(False)
sel.register(server, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        if key.fileobj is server:
            while True:
                try:
                    conn, _ = server.accept()
                except BlockingIOError:
                    break
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ)
        else:
            try:
                data = key.fileobj.recv(65536)
            except ConnectionError:
                data = b''
            if data:
                key.fileobj.sendall(data)
            else:
                sel.unregister(key.fileobj)
                key.fileobj.close()
PY
pids+=($!)

source bench/scripts/warren-lib.sh
warren_up "$work" "$ADDR:$TUNNEL_PORT" "$TLS" "  networks: [{name: net, tunnel: bench}]" \
    "    - {listen: $ADDR:$DOOR_PORT, connect: net, target: $ADDR:$ECHO_PORT, maxConnections: $((STREAMS + 100))}"
case $? in
    0) ;;
    *) echo "idle-streams: $WARREN_WHY" >&2; exit 2 ;;
esac
pids+=("$WARREN_EDGE_PID" "$WARREN_CONNECTOR_PID")
edge=$WARREN_EDGE_PID; connector=$WARREN_CONNECTOR_PID

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }
established() { ss -Htn state established "( sport = :$ECHO_PORT )" src "$ADDR" | wc -l; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

sleep "$SETTLE"
edge_idle=$(rss "$edge"); connector_idle=$(rss "$connector")
echo "idle:        edge RSS $(mib "$edge_idle") MiB, $(fds "$edge") fds; connector RSS $(mib "$connector_idle") MiB, $(fds "$connector") fds"

# The client: "open N" opens N connections (blocking connects, one after another) and answers "opened N";
# "check K" sends one byte on every Kth connection and reads it back, answering "checked M failed F";
# end of input closes everything.
cat > "$work/client.py" << 'PY'
import socket, sys, time
addr, port = sys.argv[1], int(sys.argv[2])
conns = []
for line in sys.stdin:
    cmd, n = line.split()
    n = int(n)
    if cmd == 'open':
        start = time.time()
        failed = 0
        for _ in range(n):
            s = socket.socket()
            s.settimeout(10)
            try:
                s.connect((addr, port))
                conns.append(s)
            except OSError as e:
                failed += 1
                s.close()
                if failed == 1:
                    print('connect failed: %s' % e, file=sys.stderr)
        print('opened %d failed %d in %.1f s' % (len(conns), failed, time.time() - start), flush=True)
    elif cmd == 'check':
        checked = bad = 0
        for s in conns[::n]:
            checked += 1
            try:
                s.sendall(b'x')
                if s.recv(1) != b'x':
                    bad += 1
            except OSError:
                bad += 1
        print('checked %d failed %d' % (checked, bad), flush=True)
PY
coproc client { python3 -u "$work/client.py" "$ADDR" "$DOOR_PORT" 2> "$work/client.err"; }
pids+=($client_PID)
client_in=${client[1]}
echo "open $STREAMS" >&"$client_in"
read -r -t 600 answer <&"${client[0]}" || answer="no answer"
echo "client:      $answer"
for _ in $(seq 300); do [ "$(established)" -ge "$STREAMS" ] && break; sleep 0.2; done
open_now=$(established)
echo "echo host:   $open_now connections established (of $STREAMS)"
if [ "$open_now" -lt "$STREAMS" ]; then
    echo "idle-streams: only $open_now of $STREAMS streams reached the echo host" >&2
    tail -n 3 "$work/edge.log" "$work/connector.log" "$work/client.err" >&2
    exit 2
fi
sleep "$SETTLE"
edge_loaded=$(rss "$edge"); connector_loaded=$(rss "$connector")
echo "$STREAMS open: edge RSS $(mib "$edge_loaded") MiB, $(fds "$edge") fds; connector RSS $(mib "$connector_loaded") MiB, $(fds "$connector") fds"
echo "check 100" >&"$client_in"
read -r -t 120 answer <&"${client[0]}" || answer="no answer"
echo "client:      $answer (every 100th stream echoes one byte)"
edge_above=$(( (edge_loaded - edge_idle) / 1024 )); connector_above=$(( (connector_loaded - connector_idle) / 1024 ))
verdict=PASS
if [ "$edge_above" -gt "$LIMIT_MIB" ] || [ "$connector_above" -gt "$LIMIT_MIB" ]; then verdict=FAIL; fi
case "$answer" in "checked "*" failed 0") ;; *) verdict="$verdict (but the echo check failed: $answer)" ;; esac
echo "above idle:  edge +$edge_above MiB, connector +$connector_above MiB (target: at most $LIMIT_MIB MiB each): $verdict"
echo "RESULT streams=$STREAMS edge_idle_kib=$edge_idle edge_loaded_kib=$edge_loaded connector_idle_kib=$connector_idle connector_loaded_kib=$connector_loaded"
case "$verdict" in PASS) exit 0 ;; FAIL) exit 1 ;; *) exit 2 ;; esac
