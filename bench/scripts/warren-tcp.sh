#!/usr/bin/env bash
# Warren's rows for ../shared/anchors/peers-tcp.sh, with the same loads: redis-benchmark (50 clients,
# PING/SET/GET, 200,000 requests) and one iperf3 stream for 5 s, each directly and through Warren
# (an edge and a connector as separate processes, a connect: front door, plaintext tunnel, 4 tunnel
# connections, default event loops). Everything on 127.0.0.1. Run the anchors script in the same
# session and compare the rows. Needs redis-server, redis-benchmark and iperf3 (the anchors script
# installs them).
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /tmp/warren-tcp.XXXXXX)"
export WARREN_BENCH_TOKEN="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT

redis-server --port 16379 --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null 2>&1 & pids+=($!)
iperf3 -s -p 15201 -B 127.0.0.1 >/dev/null 2>&1 & pids+=($!)
cat > "$work/edge.yaml" <<YAML
edge:
  tunnelListen: 127.0.0.1:17844
  tunnels:
    - id: bench
      token: \${WARREN_BENCH_TOKEN}
  networks:
    - name: bench-net
      tunnel: bench
  listeners:
    - listen: 127.0.0.1:16390
      connect: bench-net
      target: 127.0.0.1:16379
    - listen: 127.0.0.1:15290
      connect: bench-net
      target: 127.0.0.1:15201
YAML
cat > "$work/connector.yaml" <<YAML
connector:
  edge: 127.0.0.1:17844
  tunnel: bench
  token: \${WARREN_BENCH_TOKEN}
  allow:
    - 127.0.0.0/8
  insecure: true                     # plaintext tunnel, as in every earlier run (docs/PERFORMANCE.md)
YAML
"$root/bin/warren" edge --config "$work/edge.yaml" 2>"$work/edge.log" & pids+=($!)
"$root/bin/warren" connector --config "$work/connector.yaml" 2>"$work/connector.log" & pids+=($!)
for _ in $(seq 300); do [ "$(grep -c 'connector connected' "$work/edge.log")" -ge 4 ] && break; sleep 0.1; done
[ "$(grep -c 'connector connected' "$work/edge.log")" -ge 4 ] || { cat "$work/edge.log" >&2; exit 1; }
sleep 1
for t in direct:16379 warren:16390; do
  printf "%-14s redis " ${t%%:*}
  redis-benchmark -p ${t##*:} -c 50 -n 200000 -t ping_mbulk,set,get -q 2>/dev/null | tr '\r' '\n' | grep 'requests per second' \
    | sed -E 's/^([A-Z_]+): ([0-9.]+) requests per second, p50=([0-9.]+) msec/\1=\2rps(p50 \3ms)/' | tr '\n' ' '
  echo
done
for t in direct:15201 warren:15290; do
  printf "%-14s bulk " ${t%%:*}
  iperf3 -c 127.0.0.1 -p ${t##*:} -t 5 -J 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.2f Gbit/s" % (d["end"]["sum_received"]["bits_per_second"]/1e9))'
done
