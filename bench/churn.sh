#!/usr/bin/env bash
# Connection churn (issue 16, target 2): the seed's `ab -n 20000 -c 1000 /`, HTTP/1.0 with a new
# connection per request, against the raw servers (Netpoll's RawServer, Go's net/http) and against
# the same Spring MVC application on Netpoll, Tomcat-VT and Jetty-VT. Each server is pinned to
# core 1, ab runs on core 0; server CPU per request is read from /proc across each measured run.
#
#   bench/churn.sh              # two measured runs per server (about 3 minutes)
#   RUNS=1 bench/churn.sh
#
# Writes bench/results/churn-<timestamp>.md and prints it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS:-$root/../shared/peers}
RUNS=${RUNS:-2}
N=${N:-20000}

. "$root/bench/lib.sh"
install_tools
need ab || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null; }
java=$(find_java)
ulimit -n 20000

echo "building..." >&2
package_modules bench,bench/spring
cp -r "$peers/go-hello" "$work/go-hello"
(cd "$work/go-hello" && { [ -f go.mod ] || go mod init peer >/dev/null 2>&1; } && go build -o go-hello .)

spring_jar="$root/bench/spring/target/netpoll-bench-spring.jar"
jvm=("$java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m)
results="$work/results.tsv"
touch "$results"

# churn NAME PORT CMD...: warms the server with ab, then RUNS measured runs; appends
# "name run req/s p99_ms cpu_us_per_req failures" to $results. ab counts a body whose length
# differs from the first one's as a failure ("Request #9" then "Request #10"): those are left out.
churn() {
  local name=$1 port=$2; shift 2
  taskset -c 1 "$@" >"$work/$name.log" 2>&1 &
  local pid=$!
  wait_port "$port" || { echo "$name did not start" >&2; tail -30 "$work/$name.log" >&2; exit 1; }
  local url="http://127.0.0.1:$port/"
  taskset -c 0 ab -q -r -n "$N" -c 100 "$url" >/dev/null 2>&1 || true
  local run
  for run in $(seq 1 "$RUNS"); do
    local before after
    before=$(cpu_ticks "$pid")
    taskset -c 0 ab -q -r -n "$N" -c 1000 "$url" >"$work/ab.out" 2>&1 || true
    after=$(cpu_ticks "$pid")
    local rps p99 complete failures us
    rps=$(awk '/Requests per second:/ {print $4}' "$work/ab.out")
    p99=$(awk '$1=="99%" {print $2}' "$work/ab.out")
    complete=$(awk '/Complete requests:/ {print $3}' "$work/ab.out")
    failures=$(grep -o 'Connect: [0-9]*, Receive: [0-9]*, Length: [0-9]*, Exceptions: [0-9]*' "$work/ab.out" \
      | awk -F'[:,] *' '{print $2 + $4 + $8}' || true)
    failures=$(( ${failures:-0} + N - ${complete:-0} ))
    us=$(us_per_request "$before" "$after" "${complete:-0}")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" "${rps:-0}" "${p99:-?}" "$us" "$failures" >>"$results"
    echo "$name run $run: ${rps:-0} req/s p99=${p99:-?}ms cpu=${us}us/req failed=$failures" >&2
    sleep 2
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

churn netpoll-raw 18581 "${jvm[@]}" -cp "$root/bench/target/netpoll-bench.jar" dev.netpoll.http.RawServer 18581
PORT=18582 churn go 18582 "$work/go-hello/go-hello"
churn netpoll-spring 18583 "${jvm[@]}" -jar "$spring_jar" --server.port=18583 --spring.main.banner-mode=off \
  $(spring_server netpoll)
churn tomcat-vt 18584 "${jvm[@]}" -jar "$spring_jar" --server.port=18584 --spring.main.banner-mode=off \
  $(spring_server tomcat-vt) \
  --server.tomcat.accept-count=1000
churn jetty-vt 18585 "${jvm[@]}" -jar "$spring_jar" --server.port=18585 --spring.main.banner-mode=off \
  $(spring_server jetty-vt)

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/churn-$stamp.md"
{
  echo "# Connection churn, $stamp"
  echo
  echo "\`ab -r -n $N -c 1000 /\` (HTTP/1.0, one connection per request), $RUNS measured runs each after"
  echo "\`ab -n $N -c 100\`. Server pinned to core 1, ab on core 0. Java: -Xmx256m, $("$java" -version 2>&1 | head -1)."
  echo "Failed: refused, reset or incomplete requests (ab's length mismatches of \`Request #N\` bodies excluded)."
  echo
  echo "| server | run | req/s | p99 (ms) | server CPU µs/req | failed |"
  echo "|---|---|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}' "$results"
  echo
  echo "Best run of each, as ratios (targets: raw at least 1.0x Go, Spring at least 1.5x Tomcat-VT):"
  echo
  python3 - "$results" <<'PY'
import sys
best = {}
for line in open(sys.argv[1]):
    name, _, rps, *_ = line.split("\t")
    best[name] = max(best.get(name, 0.0), float(rps))
print("| ratio | req/s |")
print("|---|---|")
for a, b in [("netpoll-raw", "go"), ("netpoll-spring", "tomcat-vt"), ("netpoll-spring", "jetty-vt")]:
    if best.get(b):
        print(f"| {a} / {b} | {best[a] / best[b]:.2f} |")
PY
} >"$out"
cat "$out"
