#!/usr/bin/env bash
# The anchors' HTTP load (../shared/anchors/peers.sh: wrk -t1 -c64 GET against nginx on 127.0.0.1:18080, one worker)
# through Warren: wrk -> edge process (a fetch: listener, reverse proxy into a VPC Service) -> tunnel (4 plaintext
# connections) -> connector process -> nginx. Also a forward-proxy row: the same through a fetch: listener on a VPC
# Network, wrk's requests in absolute form via a tiny Lua script. Run it right after peers.sh, never at the same time.
# TLS=1 (or --tls): the tunnel runs over TLS (a throwaway CA and edge certificate; exit 2 if it cannot start).
# The edge and connector are started by warren-lib.sh; bench/compare drives the same topology with more rows.
#
#   bench/scripts/warren-http.sh            # D=10s C=64 WARMUP=5s TLS=0 (each Warren path warmed, not recorded)
#   bench/scripts/warren-http.sh --tls      # the same through a TLS tunnel (a throwaway CA made with openssl)
set -euo pipefail
D=${D:-10s}; C=${C:-64}; TLS=${TLS:-0}
[ "${1:-}" = --tls ] && TLS=1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"; cd "$root"
for tool in nginx wrk; do command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null ||
  { echo "$tool is missing (apt-get install -y nginx-light wrk)" >&2; exit 2; }; done
work="$(mktemp -d /tmp/warren-http.XXXXXX)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cat > "$work/origin.conf" <<NG
worker_processes 1; daemon off; pid $work/origin.pid; error_log $work/origin.err;
events { worker_connections 4096; }
http { access_log off; server { listen 127.0.0.1:18080 backlog=4096; location / { return 200 "hello from private host\n"; } } }
NG
cat > "$work/absolute.lua" <<'LUA'
wrk.path = "http://127.0.0.1:18080/"
LUA
"$(PATH=$PATH:/usr/sbin command -v nginx)" -c "$work/origin.conf" & pids+=($!)
source bench/scripts/warren-lib.sh
warren_up "$work" 127.0.0.1:17844 "$TLS" "  services: [{name: web, tunnel: bench, type: http, host: 127.0.0.1, httpPort: 18080}]
  networks: [{name: net, tunnel: bench}]" "    - {listen: 127.0.0.1:18097, fetch: web}
    - {listen: 127.0.0.1:18098, fetch: net}" || { echo "warren: $WARREN_WHY" >&2; exit 2; }
pids+=("$WARREN_EDGE_PID" "$WARREN_CONNECTOR_PID")
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18097/ 2>/dev/null && break; sleep 0.2; done
run() {
  local name=$1; shift
  out=$(wrk -t1 -c"$C" -d"$D" --latency "$@" 2>&1)
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}'); p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  err=$(echo "$out" | grep -E "Non-2xx|Socket errors" | tr '\n' ' ' || true)
  printf "%-22s rps=%-10s p50=%-8s p99=%-8s %s\n" "$name" "$rps" "$p50" "$p99" "$err"
}
# warm-up (JIT) of both Warren processes on both paths, not recorded
wrk -t1 -c"$C" -d"${WARMUP:-5s}" http://127.0.0.1:18097/ >/dev/null 2>&1 || true
wrk -t1 -c"$C" -d"${WARMUP:-5s}" -s "$work/absolute.lua" http://127.0.0.1:18098/ >/dev/null 2>&1 || true
run direct http://127.0.0.1:18080/
tag=warren; [ "$TLS" = 1 ] && tag=warren-tls
run $tag-reverse http://127.0.0.1:18097/
run $tag-forward -s "$work/absolute.lua" http://127.0.0.1:18098/
