#!/usr/bin/env bash
# Warren's rows for ../shared/anchors/peers-tcp.sh, with the same loads: redis-benchmark (50 clients,
# PING/SET/GET, 200,000 requests) and one iperf3 stream for 5 s, each directly and through Warren
# (an edge and a connector as separate processes, a connect: front door, plaintext tunnel, 4 tunnel
# connections, default event loops). Everything on 127.0.0.1. Run the anchors script in the same
# session and compare the rows. Needs redis-server, redis-benchmark and iperf3 (the anchors script
# installs them). TLS=1 (or --tls): the tunnel runs over TLS (a throwaway CA and edge
# certificate; exit 2 if it cannot start). bench/compare drives the same topology with more rows.
set -u
TLS=${TLS:-0}; [ "${1:-}" = --tls ] && TLS=1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /tmp/warren-tcp.XXXXXX)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT

redis-server --port 16379 --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null 2>&1 & pids+=($!)
iperf3 -s -p 15201 -B 127.0.0.1 >/dev/null 2>&1 & pids+=($!)
source "$root/bench/scripts/warren-lib.sh"
warren_up "$work" 127.0.0.1:17844 "$TLS" "  networks: [{name: bench-net, tunnel: bench}]" \
  "    - {listen: 127.0.0.1:16390, connect: bench-net, target: 127.0.0.1:16379}
    - {listen: 127.0.0.1:15290, connect: bench-net, target: 127.0.0.1:15201}" || { echo "warren: $WARREN_WHY" >&2; exit 2; }
pids+=("$WARREN_EDGE_PID" "$WARREN_CONNECTOR_PID")
sleep 1
tag=warren; [ "$TLS" = 1 ] && tag=warren-tls
for t in direct:16379 $tag:16390; do
  printf "%-14s redis " ${t%%:*}
  redis-benchmark -p ${t##*:} -c 50 -n 200000 -t ping_mbulk,set,get -q 2>/dev/null | tr '\r' '\n' | grep 'requests per second' \
    | sed -E 's/^([A-Z_]+): ([0-9.]+) requests per second, p50=([0-9.]+) msec/\1=\2rps(p50 \3ms)/' | tr '\n' ' '
  echo
done
for t in direct:15201 $tag:15290; do
  printf "%-14s bulk " ${t%%:*}
  iperf3 -c 127.0.0.1 -p ${t##*:} -t 5 -J 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.2f Gbit/s" % (d["end"]["sum_received"]["bits_per_second"]/1e9))'
done
