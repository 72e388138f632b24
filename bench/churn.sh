#!/usr/bin/env bash
# Connection churn (issue 16, target 2): the seed's `ab -n 20000 -c 1000 /`, HTTP/1.0 with a new
# connection per request, against the raw servers (Netpoll's RawServer, Go's net/http) and against
# the same Spring MVC application on Netpoll, Tomcat-VT and Jetty-VT. Each server is pinned to
# core 1, ab runs on core 0; server CPU per request is read from /proc across each measured run.
#
#   bench/churn.sh              # three rounds over every server (about 3 minutes)
#   DEFERRED=1 bench/churn.sh   # and both Netpoll servers again with server.netpoll.defer-accept=1s
#   RUNS=1 N=5000 bench/churn.sh   # smoke test
#   ONLY="netpoll-spring tomcat-vt" bench/churn.sh   # just these servers
#
# Writes bench/results/churn-<timestamp>.md and prints it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS:-$root/../shared/peers}
RUNS=${RUNS:-3}
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

# The VM's speed drifts by a fifth to a third over minutes, so one server measured after another
# put a slow spell on whichever ran then (one run gave netpoll-raw/go 0.78, the next 1.39). All
# five servers run at once, each on its own port, pinned to core 1, only the one measured busy;
# the measured runs go in $RUNS rounds, each taking every server in turn, and medians compare.
declare -A pids ports
order=()
# serve NAME PORT CMD...: starts the server in the background.
serve() {
  local name=$1 port=$2; shift 2
  [[ -z "${ONLY:-}" || " $ONLY " == *" $name "* ]] || return 0
  taskset -c 1 "$@" >"$work/$name.log" 2>&1 &
  pids[$name]=$!
  ports[$name]=$port
  order+=("$name")
}
trap 'for n in "${!pids[@]}"; do kill "${pids[$n]}" 2>/dev/null || true; done' EXIT

# measure NAME ROUND: one `ab -c 1000` run; appends "name round req/s p99_ms cpu_us_per_req
# failures ab_cpu_percent" to $results. ab's own CPU (user + system over wall time) says whether
# the client, not the server, set the rate: at 100% of its core it can open no connection faster. ab counts a body whose length differs from the first one's as a
# failure ("Request #9" then "Request #10"): those are left out.
measure() {
  local name=$1 round=$2 pid=${pids[$1]} url="http://127.0.0.1:${ports[$1]}/"
  local before after rps p99 complete failures us client TIMEFORMAT='%R %U %S'
  before=$(cpu_ticks "$pid")
  { time taskset -c 0 ab -q -r -n "$N" -c 1000 "$url" >"$work/ab.out" 2>&1 || true; } 2>"$work/ab.time"
  after=$(cpu_ticks "$pid")
  client=$(awk '{printf "%.0f", ($1 > 0 ? ($2 + $3) * 100 / $1 : 0)}' "$work/ab.time")
  rps=$(awk '/Requests per second:/ {print $4}' "$work/ab.out")
  p99=$(awk '$1=="99%" {print $2}' "$work/ab.out")
  complete=$(awk '/Complete requests:/ {print $3}' "$work/ab.out")
  failures=$(grep -o 'Connect: [0-9]*, Receive: [0-9]*, Length: [0-9]*, Exceptions: [0-9]*' "$work/ab.out" \
    | awk -F'[:,] *' '{print $2 + $4 + $8}' || true)
  failures=$(( ${failures:-0} + N - ${complete:-0} ))
  us=$(us_per_request "$before" "$after" "${complete:-0}")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "${rps:-0}" "${p99:-?}" "$us" "$failures" "$client" >>"$results"
  echo "$name round $round: ${rps:-0} req/s p99=${p99:-?}ms cpu=${us}us/req failed=$failures ab=${client}%" >&2
}

# churn_cost NAME: one unmeasured `ab -c 1000` run; prints the server's CPU µs per connection.
# Warm-up watches the cost, not the rate: ab caps the rate of every fast server, so a JVM still
# compiling can look steady by its rate (one run took a Spring server through 78, 58 and 38.5 µs
# per connection in its three measured rounds after its rate had held within 15%).
churn_cost() {
  local pid=${pids[$1]} before after complete
  before=$(cpu_ticks "$pid")
  complete=$(taskset -c 0 ab -q -r -n "$N" -c 1000 "http://127.0.0.1:${ports[$1]}/" 2>/dev/null \
    | awk '/Complete requests:/ {print $3}')
  after=$(cpu_ticks "$pid")
  us_per_request "$before" "$after" "${complete:-0}"
}

serve netpoll-raw 18581 "${jvm[@]}" -cp "$root/bench/target/netpoll-bench.jar" dev.netpoll.http.RawServer 18581
PORT=18582 serve go 18582 "$work/go-hello/go-hello"
serve netpoll-spring 18583 "${jvm[@]}" -jar "$spring_jar" --server.port=18583 --spring.main.banner-mode=off \
  $(spring_server netpoll)
serve tomcat-vt 18584 "${jvm[@]}" -jar "$spring_jar" --server.port=18584 --spring.main.banner-mode=off \
  $(spring_server tomcat-vt) \
  --server.tomcat.accept-count=1000
serve jetty-vt 18585 "${jvm[@]}" -jar "$spring_jar" --server.port=18585 --spring.main.banner-mode=off \
  $(spring_server jetty-vt)
# The same two Netpoll servers with server.netpoll.defer-accept (off by default, see the README).
# Not part of the default run: the five benchmark scripts must finish within 15 minutes together.
if [ -n "${DEFERRED:-}" ]; then
  serve netpoll-raw-deferred 18586 "${jvm[@]}" -Dnetpoll.deferAcceptSeconds=1 -cp "$root/bench/target/netpoll-bench.jar" \
    dev.netpoll.http.RawServer 18586
  serve netpoll-spring-deferred 18587 "${jvm[@]}" -jar "$spring_jar" --server.port=18587 --spring.main.banner-mode=off \
    $(spring_server netpoll) --server.netpoll.defer-accept=1s
fi
for name in "${order[@]}"; do
  wait_port "${ports[$name]}" || { echo "$name did not start" >&2; tail -30 "$work/$name.log" >&2; exit 1; }
  echo "warming $name" >&2
  taskset -c 0 ab -q -r -n "$N" -c 100 "http://127.0.0.1:${ports[$name]}/" >/dev/null 2>&1 || true
  warm_until_steady 12 churn_cost "$name"
done
for round in $(seq 1 "$RUNS"); do
  for name in "${order[@]}"; do
    measure "$name" "$round"
    sleep 2
  done
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/churn-$stamp.md"
{
  echo "# Connection churn, $stamp"
  echo
  echo "\`ab -r -n $N -c 1000 /\` (HTTP/1.0, one connection per request). All servers up at once, pinned to"
  echo "core 1, ab on core 0; each warmed by \`ab -n $N\` at 100 connections, then at 1,000 until two runs in a row"
  echo "agree within 15% (the JIT done), then $RUNS rounds, each measuring every server in turn."
  echo "Java: -Xmx256m, $("$java" -version 2>&1 | head -1)."
  echo "Failed: refused, reset or incomplete requests (ab's length mismatches of \`Request #N\` bodies excluded)."
  echo
  echo "| server | round | req/s | p99 (ms) | server CPU µs/req | failed | ab's CPU % of its core |"
  echo "|---|---|---|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$results"
  echo
  echo "Medians over the rounds, and their ratios (targets: raw at least 1.0x Go, Spring at least 1.5x Tomcat-VT;"
  echo "\`-deferred\`: the same server with \`server.netpoll.defer-accept=1s\`, not the default). Where ab used"
  echo "nearly all of its core, the client set the rate and server CPU µs/req is the server's measure:"
  echo
  python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, _, rps, p99, us, _, client = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(rps), float(p99) if p99 != "?" else float("nan"), float(us), float(client)))
med = {n: [statistics.median(v[i] for v in r) for i in range(4)] for n, r in rows.items()}
print("| server | median req/s | median p99 (ms) | median server CPU µs/req | median ab CPU % |")
print("|---|---|---|---|---|")
for n, (rps, p99, us, client) in med.items():
    print(f"| {n} | {rps:.0f} | {p99:.0f} | {us:.1f} | {client:.0f} |")
print()
print("| ratio of medians | req/s | server CPU µs/req |")
print("|---|---|---|")
for a, b in [("netpoll-raw", "go"), ("netpoll-spring", "tomcat-vt"), ("netpoll-spring", "jetty-vt"),
             ("netpoll-raw-deferred", "go"), ("netpoll-spring-deferred", "tomcat-vt")]:
    if med.get(a) and med.get(b) and med[b][0]:
        print(f"| {a} / {b} | {med[a][0] / med[b][0]:.2f} | {med[a][2] / med[b][2]:.2f} |")
PY
} >"$out"
cat "$out"
