#!/usr/bin/env bash
# fetch() through the tunnel next to direct, same run: `warren loadgen http` (closed loop, C connections, one event
# loop) against nginx on loopback, directly and through a VPC Network binding's fetch() (--via examples/edge.yaml:
# an edge in the loadgen process, a connector process from examples/connector.yaml, over the examples' TLS tunnel;
# bin/warren certs makes examples/certs when it is missing). Alternates the two RUNS times.
#
#   bench/scripts/warren-fetch.sh                # RUNS=3 D=5s C=64 ADDR=127.0.0.6 PORT=18190
#
# nginx runs from its own temporary prefix (one worker, access log off, a 24-byte `return 200`). Loopback only.
set -euo pipefail
RUNS=${RUNS:-3}; D=${D:-5s}; C=${C:-64}; ADDR=${ADDR:-127.0.0.6}; PORT=${PORT:-18190}
case "$ADDR" in 127.*) ;; *) echo "ADDR must be loopback" >&2; exit 2 ;; esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"; cd "$root"
work="$(mktemp -d /tmp/warren-fetch.XXXXXX)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cat > "$work/nginx.conf" <<NGINX
worker_processes 1; daemon off; master_process off; pid $work/nginx.pid; error_log $work/error.log;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $work/cb; proxy_temp_path $work/p; fastcgi_temp_path $work/f;
  uwsgi_temp_path $work/u; scgi_temp_path $work/s;
  server { listen $ADDR:$PORT backlog=4096; location / { return 200 "hello from private host\n"; } } }
NGINX
"$(command -v nginx || echo /usr/sbin/nginx)" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" & pids+=($!)
[ -f examples/certs/edge.crt ] || bin/warren certs --out examples/certs
export OFFICE_TOKEN="fetch-bench-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
bin/warren connector --config examples/connector.yaml > "$work/connector.log" 2>&1 & pids+=($!)
url="http://$ADDR:$PORT/"
rate() { sed -n "s/.*completed, \([0-9.]*\) req\/s.*/\1/p" "$1" | head -1; }
for i in $(seq "$RUNS"); do
  bin/warren loadgen http -c "$C" -t 1 -d "$D" "$url" > "$work/direct-$i.txt" 2>&1 || true
  bin/warren loadgen http --via examples/edge.yaml --binding office-net -c "$C" -t 1 -d "$D" "$url" \
    > "$work/tunnel-$i.txt" 2>&1 || true
  echo "run $i: direct $(rate "$work/direct-$i.txt") req/s, through the tunnel $(rate "$work/tunnel-$i.txt") req/s"
done
echo "--- last tunnel report:"; tail -25 "$work/tunnel-$RUNS.txt"
