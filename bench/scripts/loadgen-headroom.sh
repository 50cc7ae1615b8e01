#!/usr/bin/env bash
# Generator headroom (issue #5): closed-loop requests/s of `warren loadgen http` against nginx on loopback, next to
# `wrk -t1 -cC` on the same target in the same run, with the same connections and one thread (loadgen: one event
# loop). Runs the two alternately RUNS times and prints each figure, the medians and loadgen/wrk (the ratio of the
# medians, which decides, and each run's ratio with their median, which a busy machine moves less).
#
#   bench/scripts/loadgen-headroom.sh            # RUNS=5 D=5s W=1s C=64 ADDR=127.0.0.5 PORT=18180 MIN_RATIO=0.9
#   RUNS=3 D=3s bench/scripts/loadgen-headroom.sh
#
# nginx runs from its own temporary prefix and config (one worker, access log off, a 24-byte `return 200`), so
# nothing of the system's nginx setup is read or written. Only a loopback address is ever a target.
# Exit status: 0 when the median ratio is at least MIN_RATIO, 1 when it is below, 2 when something failed to run.
set -euo pipefail

RUNS=${RUNS:-5}
D=${D:-5s}
W=${W:-1s}
C=${C:-64}
ADDR=${ADDR:-127.0.0.5}
PORT=${PORT:-18180}
MIN_RATIO=${MIN_RATIO:-0.9}

case "$ADDR" in
    127.*) ;;
    *) echo "loadgen-headroom: ADDR must be a loopback address (127.0.0.0/8), not $ADDR" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
for tool in "$nginx_bin" wrk; do
    if ! command -v "$tool" > /dev/null; then
        echo "loadgen-headroom: $tool is missing (Debian: apt-get install -y nginx-light wrk)" >&2
        exit 2
    fi
done

work="$(mktemp -d /tmp/loadgen-headroom.XXXXXX)"
nginx_pid=""
cleanup() {
    if [ -n "$nginx_pid" ]; then
        kill "$nginx_pid" 2> /dev/null || true
        wait "$nginx_pid" 2> /dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/nginx.conf" << NGINX
worker_processes 1;
daemon off;
master_process off;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/client_body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    server {
        listen $ADDR:$PORT backlog=4096;
        location / { return 200 "hello from private host\n"; }
    }
}
NGINX

# master_process off: the one process is the worker, and its pid is the one to stop.
"$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
nginx_pid=$!
for _ in $(seq 50); do
    if (exec 3<> "/dev/tcp/$ADDR/$PORT") 2> /dev/null; then
        break
    fi
    sleep 0.1
done
if ! (exec 3<> "/dev/tcp/$ADDR/$PORT") 2> /dev/null; then
    echo "loadgen-headroom: nginx did not listen on $ADDR:$PORT" >&2
    cat "$work/error.log" >&2 || true
    exit 2
fi

url="http://$ADDR:$PORT/"
# Builds the launcher's class path now (when stale), so that no build runs inside a measurement.
"$root/bin/warren" loadgen http -c 1 -t 1 -d 200ms -w 0s --no-progress "$url" > /dev/null

wrk_rates=()
loadgen_rates=()
echo "target $url: nginx, 1 worker; $C connections, 1 thread / 1 event loop; $D per run (loadgen after $W warm-up)"
echo "machine: $(nproc) cores, $(uname -sr); $(java -version 2>&1 | head -1); $(wrk -v 2>&1 | head -1)"
for i in $(seq "$RUNS"); do
    rate="$(wrk -t1 -c"$C" -d"$D" "$url" | awk '/^Requests\/sec:/ { print $2 }')"
    [ -n "$rate" ] || { echo "loadgen-headroom: wrk printed no Requests/sec" >&2; exit 2; }
    wrk_rates+=("$rate")

    "$root/bin/warren" loadgen http -c "$C" -t 1 -d "$D" -w "$W" --no-progress --json "$work/run-$i.json" \
        "$url" > "$work/run-$i.txt"
    rate="$(grep -o '"achievedRate":[0-9.E+-]*' "$work/run-$i.json" | cut -d: -f2)"
    [ -n "$rate" ] || { echo "loadgen-headroom: loadgen wrote no achievedRate" >&2; exit 2; }
    grep -q '"loops":1,' "$work/run-$i.json" || { echo "loadgen-headroom: loadgen did not run on 1 loop" >&2; exit 2; }
    loadgen_rates+=("$rate")
    printf 'run %d: wrk %10.1f req/s   loadgen %10.1f req/s   (%s)\n' "$i" "${wrk_rates[-1]}" "$rate" \
        "$(grep -E '^ +errors' "$work/run-$i.txt" | xargs)"
done

median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
wrk_median="$(median "${wrk_rates[@]}")"
loadgen_median="$(median "${loadgen_rates[@]}")"
ratio="$(awk -v l="$loadgen_median" -v w="$wrk_median" 'BEGIN { printf "%.3f", l / w }')"
pairs=()
for i in "${!wrk_rates[@]}"; do
    pairs+=("$(awk -v l="${loadgen_rates[$i]}" -v w="${wrk_rates[$i]}" 'BEGIN { printf "%.3f", l / w }')")
done
printf 'median of %d: wrk %.1f req/s, loadgen %.1f req/s, loadgen/wrk %s (required >= %s)\n' \
    "$RUNS" "$wrk_median" "$loadgen_median" "$ratio" "$MIN_RATIO"
echo "loadgen/wrk of each run: ${pairs[*]}; their median $(median "${pairs[@]}")"
if awk -v r="$ratio" -v m="$MIN_RATIO" 'BEGIN { exit !(r >= m) }'; then
    echo "PASS"
else
    echo "FAIL"
    exit 1
fi
