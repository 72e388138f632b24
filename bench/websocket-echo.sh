#!/usr/bin/env bash
# The WebSocket benchmark: Spring's WebSocket echo handler (bench/websocket) on Netpoll, Tomcat and
# Jetty (both with spring.threads.virtual.enabled=true), all three started at once and pinned to
# core 1 while a client on core 0 drives one at a time: the echo load from Go (bench/go-ws-echo, a
# goroutine per session, GOMAXPROCS=1), the idle sessions from bench/WsEchoLoad.java:
#   - echo round-trips per second, 32-byte text messages, at each of $ECHO_CONNS sessions, with the
#     server's CPU time per round-trip: $ROUNDS rounds over every server and count, medians compared;
#   - memory per idle session: after 10,000 more sessions opened and closed (the upgrade path
#     compiled), $IDLE_SESSIONS open sessions, pinged every 10 s so no server's idle timeout closes
#     them; live heap (class histogram total after a full GC) and RSS, each minus the same server
#     with none.
#
#   bench/websocket-echo.sh                                         # full run (about 12 minutes)
#   WARMUP=2 DURATION=2 ROUNDS=1 IDLE_SESSIONS=200 SERVERS=netpoll bench/websocket-echo.sh   # smoke test
#
# Writes bench/results/websocket-<timestamp>.md and prints it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
SERVERS=${SERVERS:-"netpoll tomcat-vt jetty-vt"}
ECHO_CONNS=${ECHO_CONNS:-"10 100 1000"}
IDLE_SESSIONS=${IDLE_SESSIONS:-10000}
# Seconds, for the client.
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}

. "$root/bench/lib.sh"
need taskset || { echo "taskset (util-linux) is needed" >&2; exit 1; }
java=$(find_java)
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "building..." >&2
  package_modules bench/websocket
fi
jar="$root/bench/websocket/target/netpoll-bench-websocket.jar"
client=("$java" "$root/bench/WsEchoLoad.java")
# The echo load comes from Go: the JDK client spent about 10 us of its core per round-trip, as
# much as the servers it measured, so every server looked as fast as the client (measured on this
# machine: the Go client spends 7 us, most of it the kernel's loopback TCP, which is the client
# side's share of every round-trip whoever the server is).
install_tools
cp -r "$root/bench/go-ws-echo" "$work/go-ws-echo"
(cd "$work/go-ws-echo" && { [ -f go.mod ] || go mod init peer >/dev/null 2>&1; } && go build -o go-ws-echo .)
echo_client=(env GOMAXPROCS=1 "$work/go-ws-echo/go-ws-echo")
ulimit -n 20000

port=18481

server_args() {
  case $1 in
    netpoll) echo "$(spring_server netpoll) --server.netpoll.websocket.max-sessions=20000 --bench.standard-upgrade=true" ;;
    tomcat-vt) echo "$(spring_server tomcat-vt) --server.tomcat.max-connections=20000 --bench.standard-upgrade=true" ;;
    jetty-vt) echo "$(spring_server jetty-vt) --server.jetty.max-connections=20000" ;;
  esac
}


results="$work/results.tsv"
: >"$results"
# Every server runs at once, each on its own port, all pinned to core 1; only the one being
# measured is busy. The VM's speed drifts by a third over minutes, so measuring one server after
# the other put a slow spell on whichever ran then: the round-trips are measured in $ROUNDS rounds,
# each taking every session count and every server in turn, and the median of the rounds is what
# compares.
declare -A pids ports
next_port=$port
for name in $SERVERS; do
  # shellcheck disable=SC2046
  taskset -c 1 "$java" --enable-native-access=ALL-UNNAMED -Xms512m -Xmx512m -jar "$jar" --spring.main.banner-mode=off \
    --server.port=$next_port $(server_args "$name") >"$work/$name.log" 2>&1 &
  pids[$name]=$!
  ports[$name]=$next_port
  next_port=$((next_port + 1))
done
trap 'for n in "${!pids[@]}"; do kill "${pids[$n]}" 2>/dev/null || true; done' EXIT
for name in $SERVERS; do
  wait_port "${ports[$name]}" || { echo "$name did not start" >&2; tail -30 "$work/$name.log" >&2; exit 1; }
  taskset -c 0 "${echo_client[@]}" "${ports[$name]}" 100 "$WARMUP" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  for conns in $ECHO_CONNS; do
    for name in $SERVERS; do
      pid=${pids[$name]}
      t0=$(cpu_ticks "$pid")
      rps=$(taskset -c 0 "${echo_client[@]}" "${ports[$name]}" "$conns" "$DURATION" | awk '/roundtrips/ {print $2}')
      t1=$(cpu_ticks "$pid")
      cpu=$(us_per_request "$t0" "$t1" "$(awk -v r="$rps" -v d="$DURATION" 'BEGIN {printf "%d", r * d}')")
      threads=$(status_field "$pid" Threads)
      printf 'echo\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$conns" "$rps" "$threads" "$cpu" "$round" >>"$results"
      echo "round $round: $name echo c=$conns: $rps round-trips/s, $cpu us CPU each, $threads threads" >&2
    done
  done
done
for name in $SERVERS; do
  pid=${pids[$name]}
  port=${ports[$name]}
  # A server that has been up a while: 10,000 more sessions opened and closed, so that the
  # upgrade path is compiled. Parked on a cold path, an idle session's task keeps interpreted
  # frames (3 KB of stack per session on Netpoll, 1.1 KB once compiled); every server gets the same.
  for _ in $(seq 1 10); do taskset -c 0 "${client[@]}" echo "$port" 1000 1 >/dev/null; done
  sleep 2
  heap0=$(live_heap "$pid"); rss0=$(status_field "$pid" VmRSS)
  rm -f "$work/$name.ready"
  taskset -c 0 "${client[@]}" idle "$port" "$IDLE_SESSIONS" "$work/$name.ready" &
  clients=$!
  for _ in $(seq 1 1200); do [ -f "$work/$name.ready" ] && break; sleep 0.2; done
  if [ ! -f "$work/$name.ready" ]; then
    # Reported, not fatal: the other servers are still measured.
    echo "$name: $IDLE_SESSIONS idle sessions did not open within 4 minutes" >&2
    printf 'idle\t%s\tnot opened in 4 min\t-\t%s\n' "$name" "$(status_field "$pid" Threads)" >>"$results"
    kill "$clients" 2>/dev/null || true; wait "$clients" 2>/dev/null || true
    continue
  fi
  sleep 3
  heap1=$(live_heap "$pid"); rss1=$(status_field "$pid" VmRSS); threads=$(status_field "$pid" Threads)
  kill "$clients"; wait "$clients" 2>/dev/null || true
  printf 'idle\t%s\t%s\t%s\t%s\n' "$name" "$(( (heap1 - heap0) / IDLE_SESSIONS ))" \
    "$(( (rss1 - rss0) * 1024 / IDLE_SESSIONS ))" "$threads" >>"$results"
  echo "$name idle: heap +$(( (heap1 - heap0) / 1024 )) KiB, RSS +$(( rss1 - rss0 )) KiB, $threads threads" >&2
done

# median FILE NAME CONNS FIELD: the median over the rounds of one server's field at one session count.
median() {
  awk -F'\t' -v n="$2" -v c="$3" -v f="$4" '$1=="echo" && $2==n && $3==c {print $f}' "$1" | sort -g \
    | awk '{v[NR]=$1} END {if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/websocket-$stamp.md"
{
  echo "# WebSocket echo benchmark, $stamp"
  echo
  echo "Spring's WebSocket echo handler (\`bench/websocket\`) on each server, pinned to core 1 (\`taskset -c 1\`);"
  echo "the echo client (\`bench/go-ws-echo\`, a goroutine per session, GOMAXPROCS=1, 32-byte text messages) on core 0;"
  echo "idle sessions opened by \`bench/WsEchoLoad.java\` (a virtual thread per session), also on core 0."
  echo "All three servers up at once, one measured at a time. Warm-up ${WARMUP}s, measured ${DURATION}s per round."
  echo "Tomcat and Jetty with \`spring.threads.virtual.enabled=true\`."
  echo "JVM: $("$java" -version 2>&1 | head -1); -Xms512m -Xmx512m."
  echo
  echo "Medians of $ROUNDS rounds (each round measures every server at every session count in turn):"
  echo
  echo "| server | sessions | echo round-trips/s | server CPU µs per round-trip |"
  echo "|---|---|---|---|"
  for name in $SERVERS; do
    for conns in $ECHO_CONNS; do
      echo "| $name | $conns | $(median "$results" "$name" "$conns" 4) | $(median "$results" "$name" "$conns" 6) |"
    done
  done
  echo
  echo "| ratio of medians | sessions | netpoll / best of Tomcat and Jetty |"
  echo "|---|---|---|"
  for conns in $ECHO_CONNS; do
    awk -v n="$(median "$results" netpoll "$conns" 4)" -v t="$(median "$results" tomcat-vt "$conns" 4)" \
      -v j="$(median "$results" jetty-vt "$conns" 4)" -v c="$conns" \
      'BEGIN {b = t > j ? t : j; if (b > 0 && n > 0) printf "| round-trips | %s | %.2f |\n", c, n / b}'
  done
  echo
  echo "Every round:"
  echo
  echo "| round | server | sessions | echo round-trips/s | server CPU µs per round-trip | OS threads |"
  echo "|---|---|---|---|---|---|"
  awk -F'\t' '$1=="echo" {printf "| %s | %s | %s | %s | %s | %s |\n", $7, $2, $3, $4, $6, $5}' "$results"
  echo
  echo "$IDLE_SESSIONS idle sessions, measured against the same server with none:"
  echo
  echo "| server | live heap per session (bytes) | RSS per session (bytes) | OS threads |"
  echo "|---|---|---|---|"
  awk -F'\t' '$1=="idle" {printf "| %s | %s | %s | %s |\n", $2, $3, $4, $5}' "$results"
} >"$out"
cat "$out"
