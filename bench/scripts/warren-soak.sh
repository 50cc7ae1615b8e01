#!/usr/bin/env bash
# Soak (issue 8's benchmark; not for CI): nginx serving a 4 KiB file, an edge process with a fetch: listener, two
# connector processes, and `warren loadgen http` against the listener. First a closed-loop run measures the most it
# does (MAX_D, C connections); then the soak runs at PERCENT% of that for SOAK, as back-to-back SLICE-long loadgen
# runs (each reports its own p99; every body checked), while the RSS and open file descriptors of the edge and both
# connectors are sampled every SAMPLE seconds.
#
#   bench/scripts/warren-soak.sh                 # SOAK=10m SLICE=30s PERCENT=50 C=16 MAX_D=10s SAMPLE=10 NET=127.0.87
#   SOAK=3m bench/scripts/warren-soak.sh         # the shorter run recorded in docs/PERFORMANCE.md
#
# Prints one line per slice and per sample; leaves the reports in OUT (default: a temporary folder it names).
# Loopback only.
set -euo pipefail
SOAK=${SOAK:-10m}; SLICE=${SLICE:-30s}; PERCENT=${PERCENT:-50}; C=${C:-16}; MAX_D=${MAX_D:-10s}; SAMPLE=${SAMPLE:-10}
NET=${NET:-127.0.87}
case "$NET" in 127.*) ;; *) echo "NET must be loopback" >&2; exit 2 ;; esac
seconds() { case "$1" in *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"; cd "$root"
work="${OUT:-$(mktemp -d /tmp/warren-soak.XXXXXX)}"; mkdir -p "$work"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
export OFFICE_TOKEN="soak-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export JAVA_OPTS="${JAVA_OPTS:-} -Xmx256m"

mkdir -p "$work/www"; head -c 4096 /dev/urandom > "$work/www/blob.bin"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1; daemon off; master_process off; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $work/cb; proxy_temp_path $work/p; fastcgi_temp_path $work/f;
  uwsgi_temp_path $work/u; scgi_temp_path $work/s; keepalive_requests 1000000;
  server { listen $NET.2:8080 backlog=4096; root $work/www; } }
NGINX
"$(command -v nginx || echo /usr/sbin/nginx)" -p "$work" -c "$work/nginx.conf" -e "$work/nginx.err" & pids+=($!)
cat > "$work/edge.yaml" <<YAML
edge:
  tunnelListen: $NET.1:7944
  metricsListen: $NET.1:9190
  tunnels: [{id: office, token: \${OFFICE_TOKEN}}]
  services: [{name: web, tunnel: office, type: http, host: $NET.2, httpPort: 8080}]
  listeners: [{listen: $NET.1:18580, fetch: web}]
YAML
bin/warren edge --config "$work/edge.yaml" > "$work/edge.log" 2>&1 & edge_pid=$!; pids+=($edge_pid)
cpids=()
for i in 1 2; do
  cat > "$work/connector$i.yaml" <<YAML
connector:
  edge: $NET.1:7944
  tunnel: office
  token: \${OFFICE_TOKEN}
  haConnections: 4
  metricsListen: $NET.1:919$i
  allow: [$NET.2/32]
  insecure: true                     # plaintext tunnel, as in every earlier run (docs/PERFORMANCE.md)
YAML
  bin/warren connector --config "$work/connector$i.yaml" > "$work/connector$i.log" 2>&1 & cpids+=($!); pids+=($!)
done
for _ in $(seq 600); do [ "$(grep -c 'connector connected' "$work/edge.log" || true)" -ge 8 ] && break; sleep 0.1; done
url="http://$NET.1:18580/blob.bin"
lg() { bin/warren loadgen http --no-progress --expect-body-file "$work/www/blob.bin" "$@" "$url"; }

lg -c "$C" -t 1 -d "$MAX_D" -w 2s --json "$work/max.json" > "$work/max.txt" 2>&1 || true
max=$(python3 -c "import json; print(int(json.load(open('$work/max.json'))['achievedRate']))")
rate=$(( max * PERCENT / 100 ))
echo "max (closed loop, $C connections, $MAX_D): $max req/s; soak at $PERCENT%: $rate req/s for $SOAK in $SLICE slices"

sample() { # pid -> "RSS_KiB FDS"
  echo "$(awk '/^VmRSS/ { print $2 }' "/proc/$1/status") $(ls "/proc/$1/fd" | wc -l)"
}
( echo "t_s edge_rss_kib edge_fds c1_rss_kib c1_fds c2_rss_kib c2_fds"
  start=$(date +%s)
  while kill -0 "$edge_pid" 2>/dev/null; do
    echo "$(( $(date +%s) - start )) $(sample "$edge_pid") $(sample "${cpids[0]}") $(sample "${cpids[1]}")"
    sleep "$SAMPLE"
  done ) > "$work/samples.txt" 2>/dev/null & sampler=$!; pids+=($sampler)

end=$(( $(date +%s) + $(seconds "$SOAK") )); i=0
while [ "$(date +%s)" -lt "$end" ]; do
  i=$((i + 1))
  lg -R "$rate" -c "$C" -t 1 -d "$SLICE" -w 0s --max-errors 1000000 --json "$work/slice-$i.json" \
    > "$work/slice-$i.txt" 2>&1 || true
  python3 - "$work/slice-$i.json" "$i" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
l = r["latencyMs"]
print("slice %s: %d requests, %.0f req/s, statuses %s, errors %s, latency p50 %.2f p99 %.2f p99.9 %.2f max %.2f ms" % (
    sys.argv[2], r["requests"], r["achievedRate"], r.get("statuses"), r["errorsTotal"], l["p50"], l["p99"],
    l["p99.9"], l["max"]))
PY
done
kill "$sampler" 2>/dev/null || true
echo "--- samples (every ${SAMPLE}s):"; cat "$work/samples.txt"
echo "reports in $work"
