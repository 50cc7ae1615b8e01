# Sourced, not run: starts a Warren edge and a connector as two processes of the caller's shell, for the bench
# scripts (warren-http.sh, warren-tcp.sh, warren-idle-streams.sh) and bench/compare, which need their pids (CPU
# seconds and RSS are read from /proc/PID).
#
#   source bench/scripts/warren-lib.sh
#   warren_up DIR TUNNEL_ADDR:PORT TLS(0|1) BINDINGS_YAML LISTENERS_YAML [HA_CONNECTIONS]
#     -> 0 with WARREN_EDGE_PID and WARREN_CONNECTOR_PID set once every tunnel connection is up;
#        3 when TLS=1 and the edge or connector refused to start over tls:; 1 on any other failure.
#        WARREN_WHY says why in one line. The logs are DIR/edge.log and DIR/connector.log.
#   warren_down    stops both (SIGTERM, then waits).
#
# TLS=1: makes a throwaway CA and an edge certificate for the tunnel's address with openssl in DIR, gives the edge
# `tls: {cert, key}` and the connector `tls: {caFile}` (WARREN_CONNECTOR_TLS_YAML replaces the connector's line,
# e.g. with a pin). TLS=0: a plaintext tunnel, which the connector accepts only with `insecure: true`, written
# here. Loopback only.
# WARREN_JAVA_OPTS, when set, is the edge's and connector's JAVA_OPTS (e.g. -Xmx256m), leaving the JAVA_OPTS of
# `warren loadgen` alone. The token is random per call; nothing outside DIR is written.

WARREN_ROOT="${WARREN_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}"
WARREN_EDGE_PID=""
WARREN_CONNECTOR_PID=""
WARREN_WHY=""

# DIR HOST -> DIR/ca.crt, DIR/edge.crt, DIR/edge.key (RSA 2048, PKCS#8 key, SAN = HOST and localhost, 2 days).
warren_tls_material() {
    local dir=$1 host=$2
    [ -s "$dir/edge.crt" ] && return 0
    command -v openssl > /dev/null || { WARREN_WHY="openssl is missing"; return 1; }
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=warren-bench-ca" \
        -keyout "$dir/ca.key" -out "$dir/ca.crt" > "$dir/openssl.log" 2>&1 &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$host" \
        -keyout "$dir/edge.key" -out "$dir/edge.csr" >> "$dir/openssl.log" 2>&1 &&
    printf 'subjectAltName=IP:%s,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$host" \
        > "$dir/edge.ext" &&
    openssl x509 -req -in "$dir/edge.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
        -extfile "$dir/edge.ext" -out "$dir/edge.crt" >> "$dir/openssl.log" 2>&1 ||
        { WARREN_WHY="openssl failed (see $dir/openssl.log)"; return 1; }
}

warren_up() {
    local dir=$1 tunnel=$2 tls=$3 bindings=$4 listeners=$5 ha=${6:-4}
    local host=${tunnel%:*} tls_edge="" tls_connector=""
    mkdir -p "$dir"
    WARREN_WHY=""
    case "$host" in 127.*) ;; *) WARREN_WHY="the tunnel address must be loopback: $tunnel"; return 1 ;; esac
    if [ "$tls" = 1 ]; then
        warren_tls_material "$dir" "$host" || return 1
        tls_edge="  tls: {cert: edge.crt, key: edge.key}"
        tls_connector="  tls: {caFile: ca.crt}"
        [ -n "${WARREN_CONNECTOR_TLS_YAML:-}" ] && tls_connector="$WARREN_CONNECTOR_TLS_YAML"
    else
        tls_connector="  insecure: true"
    fi
    export WARREN_BENCH_TOKEN="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    { echo "edge:"
      echo "  tunnelListen: $tunnel"
      [ -n "$tls_edge" ] && echo "$tls_edge"
      echo "  tunnels: [{id: bench, token: \${WARREN_BENCH_TOKEN}}]"
      echo "$bindings"
      echo "  listeners:"
      echo "$listeners"
    } > "$dir/edge.yaml"
    { echo "connector:"
      echo "  edge: $tunnel"
      echo "  tunnel: bench"
      echo "  token: \${WARREN_BENCH_TOKEN}"
      echo "  haConnections: $ha"
      [ -n "$tls_connector" ] && echo "$tls_connector"
      echo "  allow: [127.0.0.0/8]"
    } > "$dir/connector.yaml"
    local opts="${WARREN_JAVA_OPTS-${JAVA_OPTS:-}}"
    JAVA_OPTS="$opts" "$WARREN_ROOT/bin/warren" edge --config "$dir/edge.yaml" > "$dir/edge.log" 2>&1 &
    WARREN_EDGE_PID=$!
    JAVA_OPTS="$opts" "$WARREN_ROOT/bin/warren" connector --config "$dir/connector.yaml" > "$dir/connector.log" 2>&1 &
    WARREN_CONNECTOR_PID=$!
    local i
    for i in $(seq 600); do
        [ "$(grep -c 'connector connected' "$dir/edge.log" 2> /dev/null)" -ge "$ha" ] && return 0
        if ! kill -0 "$WARREN_EDGE_PID" 2> /dev/null || ! kill -0 "$WARREN_CONNECTOR_PID" 2> /dev/null; then
            break
        fi
        sleep 0.1
    done
    local who=edge
    kill -0 "$WARREN_EDGE_PID" 2> /dev/null && who=connector
    # its last words, without the "warren: /path/to/file.yaml:LINE: " in front
    WARREN_WHY="the $who did not start: $(grep -v '^\s*$' "$dir/$who.log" | tail -1 |
        sed -E 's/^warren: //; s/^[^ ]*\.yaml:[0-9]+: //' | cut -c1-160)"
    local refused=1
    if [ "$tls" = 1 ] && grep -qi 'tls' "$dir/$who.log"; then
        WARREN_WHY="refused over TLS: $WARREN_WHY"
        refused=3
    fi
    warren_down
    return $refused
}

warren_down() {
    local p
    for p in $WARREN_EDGE_PID $WARREN_CONNECTOR_PID; do kill "$p" 2> /dev/null || true; done
    for p in $WARREN_EDGE_PID $WARREN_CONNECTOR_PID; do wait "$p" 2> /dev/null || true; done
    WARREN_EDGE_PID=""
    WARREN_CONNECTOR_PID=""
}
