#!/usr/bin/env bash
# Memory per idle keep-alive connection of a Spring MVC application: the same application on
# Netpoll, Tomcat and Jetty (virtual threads), 10,000 connections that each made one request and
# then wait, idle timeout raised so none is closed. Live heap is the class histogram's total
# after a full GC (jcmd GC.class_histogram collects first), RSS from /proc; both compared with
# the same server holding no connection.
#
# Warm-up: a server in production has served many requests and accepted many connections, so
# its request path and its connection set-up are compiled. A compiled frame parked on an idle
# connection is a fraction of an interpreted one, so the script warms both: keep-alive requests
# (wrk) and CHURN connections of one request each (ab). CHURN=0 measures a server whose
# connection path is still interpreted (every server parks bigger frames then).
#
#   bench/idle-memory.sh                  # all three
#   SERVERS=netpoll IDLE_CONNS=5000 WARM=10s bench/idle-memory.sh
#
# Writes bench/results/idle-memory-<timestamp>.md and prints it. About a minute per server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
SERVERS=${SERVERS:-"netpoll tomcat-vt jetty-vt"}
IDLE_CONNS=${IDLE_CONNS:-10000}
WARM=${WARM:-10s}
CHURN=${CHURN:-30000}

. "$root/bench/lib.sh"
install_tools
need ab || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null; }
java=$(find_java)
jar="$root/bench/spring/target/netpoll-bench-spring.jar"
if [ -z "${SKIP_BUILD:-}" ]; then
  package_modules bench/spring
fi
ulimit -n 20000

port=18381

server_args() {
  case $1 in
    netpoll) echo "$(spring_server netpoll) --server.netpoll.idle-timeout=10m" ;;
    tomcat-vt) echo "$(spring_server tomcat-vt) --server.tomcat.keep-alive-timeout=10m --server.tomcat.max-connections=20000 --server.tomcat.connection-timeout=10m" ;;
    jetty-vt) echo "$(spring_server jetty-vt) --server.jetty.connection-idle-timeout=10m --server.jetty.max-connections=20000" ;;
  esac
}


results="$work/results.tsv"
: >"$results"
for name in $SERVERS; do
  # shellcheck disable=SC2046
  "$java" --enable-native-access=ALL-UNNAMED -Xms512m -Xmx512m -jar "$jar" --spring.main.banner-mode=off \
    --server.port=$port $(server_args "$name") >"$work/$name.log" 2>&1 &
  pid=$!
  wait_port $port || { echo "$name did not start" >&2; tail -30 "$work/$name.log" >&2; exit 1; }
  # Warm (see the top): requests on kept-alive connections, then connections of one request.
  wrk -t1 -c50 -d"$WARM" "http://127.0.0.1:$port/" >/dev/null
  if [ "$CHURN" -gt 0 ]; then
    ab -q -n "$CHURN" -c 50 "http://127.0.0.1:$port/" >/dev/null
  fi
  sleep 2
  heap0=$(live_heap "$pid"); rss0=$(status_field "$pid" VmRSS)
  python3 "$root/bench/idle_clients.py" $port "$IDLE_CONNS" "$work/$name.ready" &
  clients=$!
  for _ in $(seq 1 600); do [ -f "$work/$name.ready" ] && break; sleep 0.5; done
  [ -f "$work/$name.ready" ] || { echo "$name: clients did not connect" >&2; exit 1; }
  sleep 3
  heap1=$(live_heap "$pid"); rss1=$(status_field "$pid" VmRSS)
  threads=$(status_field "$pid" Threads)
  kill "$clients"; wait "$clients" 2>/dev/null || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$(( (heap1 - heap0) / IDLE_CONNS ))" "$(( (rss1 - rss0) * 1024 / IDLE_CONNS ))" "$threads" "$IDLE_CONNS" >>"$results"
  echo "$name: heap +$(( (heap1 - heap0) / 1024 )) KiB, RSS +$(( rss1 - rss0 )) KiB, $threads threads" >&2
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/idle-memory-$stamp.md"
{
  echo "# Idle keep-alive connections of a Spring MVC application, $stamp"
  echo
  echo "$IDLE_CONNS connections, each after one \`GET /\`, held open; idle timeouts raised to 10 minutes. Each server"
  echo "warmed first by \`wrk -c50 -d$WARM\` and $CHURN connections of one request each (\`ab -n $CHURN -c 50\`)."
  echo "Live heap: class histogram total after a full GC, minus the same with no connection. JVM -Xmx512m,"
  echo "$("$java" -version 2>&1 | head -1). Tomcat and Jetty with \`spring.threads.virtual.enabled=true\`."
  echo
  echo "| server | live heap per connection (bytes) | RSS per connection (bytes) | threads |"
  echo "|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$results"
} >"$out"
cat "$out"
