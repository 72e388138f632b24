#!/usr/bin/env bash
# Zero-downtime check: two instances of the same Spring MVC application behind nginx (upstream
# keep-alive, proxy_next_upstream off so that nothing is retried and hidden), under steady load
# (fast GETs, 500 ms /sleep requests, POSTs to /echo), each restarted in turn with SIGTERM
# (graceful shutdown) and a fresh start. nginx's error log then says what the clients lost:
#   refused     connect() refused while an instance was down: safe for a client to retry
#   reset       the upstream reset a connection: the request may or may not have run
#   unanswered  the upstream closed without answering a request it had been sent
# Netpoll, Tomcat and Jetty (both on virtual threads) run the same application, one after another.
#
#   bench/rolling-restart.sh            # report only
#   bench/rolling-restart.sh --check    # also fail if Netpoll loses more than the keep-alive close race explains
#   SERVERS="netpoll" LOAD_SECONDS=20 bench/rolling-restart.sh --check
#
# Writes bench/results/rolling-restart-<timestamp>.md and prints it. About a minute per server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
check=false
[ "${1:-}" = "--check" ] && check=true
SERVERS=${SERVERS:-"netpoll tomcat-vt jetty-vt"}
LOAD_SECONDS=${LOAD_SECONDS:-36}

. "$root/bench/lib.sh"
if ! need nginx || ! need hey; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx hey >/dev/null
fi
java=$(find_java)
jar="$root/bench/spring/target/netpoll-bench-spring.jar"
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "building..." >&2
  package_modules bench/spring
fi

front=18280
ports=(18281 18282)

start_instance() { # NAME PORT -> pid on stdout
  # shellcheck disable=SC2046
  "$java" --enable-native-access=ALL-UNNAMED -Xms128m -Xmx256m -jar "$jar" --spring.main.banner-mode=off \
    --server.port="$2" --spring.lifecycle.timeout-per-shutdown-phase=20s $(spring_server "$1") \
    >>"$work/$1-$2.log" 2>&1 &
  echo $!
}

nginx_conf() {
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log error;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  upstream app {
    server 127.0.0.1:${ports[0]} max_fails=0;
    server 127.0.0.1:${ports[1]} max_fails=0;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$front;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream off;
      proxy_read_timeout 30s;
    }
  }
}
EOF
}

restart() { # NAME INDEX: stops instance INDEX with SIGTERM and starts it again
  local name=$1 i=$2 pid=${pids[$2]} port=${ports[$2]} t0
  t0=$(date +%s.%N)
  kill -TERM "$pid"
  # Not our child (started in a command substitution): poll until it has exited.
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  echo "  $name :$port stopped after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s" >&2
  pids[$i]=$(start_instance "$name" "$port")
  wait_port "$port" || { echo "$name :$port did not restart" >&2; tail -40 "$work/$name-$port.log" >&2; exit 1; }
}

results="$work/results.tsv"
: >"$results"
for name in $SERVERS; do
  echo "$name: two instances behind nginx, ${LOAD_SECONDS}s of load, each restarted in turn" >&2
  nginx_conf
  pids=()
  for i in 0 1; do pids[$i]=$(start_instance "$name" "${ports[$i]}"); done
  for i in 0 1; do wait_port "${ports[$i]}" || { echo "$name did not start" >&2; tail -40 "$work/$name-${ports[$i]}.log" >&2; exit 1; }; done
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
  nginx_pid=$!
  wait_port "$front"
  url="http://127.0.0.1:$front"
  hey -z "${LOAD_SECONDS}s" -c 16 "$url/" >"$work/hey-fast.txt" 2>&1 &
  fast=$!
  hey -z "${LOAD_SECONDS}s" -c 16 "$url/sleep?ms=500" >"$work/hey-slow.txt" 2>&1 &
  slow=$!
  hey -z "${LOAD_SECONDS}s" -c 8 -m POST -T text/plain -d "a posted body that must not be lost" "$url/echo" >"$work/hey-post.txt" 2>&1 &
  post=$!
  sleep $(( LOAD_SECONDS / 5 ))
  restart "$name" 0
  sleep $(( LOAD_SECONDS / 5 ))
  restart "$name" 1
  wait "$fast" "$slow" "$post"
  kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true
  for i in 0 1; do kill -TERM "${pids[$i]}"; done
  for i in 0 1; do while kill -0 "${pids[$i]}" 2>/dev/null; do sleep 0.1; done; done

  log="$work/nginx/error.log"
  refused=$(grep -c "Connection refused" "$log" || true)
  reset=$(grep -c "reset by peer" "$log" || true)
  unanswered=$(grep -c "prematurely closed" "$log" || true)
  other=$(grep -v -e "Connection refused" -e "reset by peer" -e "prematurely closed" "$log" | grep -c "upstream" || true)
  total=0; ok=0
  for f in fast slow post; do
    total=$(( total + $(awk '/^  \[[0-9]+\]/ {s+=$2} END {print s+0}' "$work/hey-$f.txt") ))
    ok=$(( ok + $(awk '/^  \[200\]/ {print $2}' "$work/hey-$f.txt" | head -1 | sed 's/^$/0/') ))
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$total" "$ok" "$refused" "$reset" "$unanswered" "$other" >>"$results"
  echo "  $name: $total requests, $ok answered 200, refused=$refused reset=$reset unanswered=$unanswered other=$other" >&2
  # grep -m rather than | head: under pipefail, head closing the pipe early fails the script (SIGPIPE).
  if [ "$other" -gt 0 ]; then grep -v -m 5 -e "Connection refused" -e "reset by peer" -e "prematurely closed" "$log" >&2 || true; fi
  # What was lost, with nginx's timestamps, to set beside the instances' logs.
  if [ "$reset" -gt 0 ] || [ "$unanswered" -gt 0 ]; then grep -m 5 -e "reset by peer" -e "prematurely closed" "$log" >&2 || true; fi
  rm -rf "$work/nginx"
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/rolling-restart-$stamp.md"
{
  echo "# Rolling restart behind nginx, $stamp"
  echo
  echo "Two instances of the same Spring Boot application behind nginx $(nginx -v 2>&1 | sed 's/.*\///') (upstream keep-alive 64,"
  echo "\`proxy_next_upstream off\`, \`max_fails=0\`), ${LOAD_SECONDS} s of load from hey: 16 clients on \`GET /\`, 16 on"
  echo "\`GET /sleep?ms=500\`, 8 on \`POST /echo\`. Each instance is stopped with SIGTERM (graceful shutdown,"
  echo "\`timeout-per-shutdown-phase=20s\`) and started again, one after the other. Counts from nginx's error log."
  echo "Tomcat and Jetty run with \`spring.threads.virtual.enabled=true\`."
  echo
  echo "| server | requests | answered 200 | refused (safe to retry) | reset | closed unanswered | other |"
  echo "|---|---|---|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$results"
} >"$out"
cat "$out"

# The check. A request that was in a Netpoll instance when it stopped (being read, handled or
# answered) is never lost: the drain answers it. What no server can rule out is the keep-alive
# close race of RFC 9112 section 9.6: an instance closes a connection that has been idle for the
# quiet period at the moment nginx picks it for a new request, which nginx (told not to retry)
# reports as reset or closed unanswered. Netpoll makes that window one round-trip on connections
# idle for a second, which nginx's most-recently-used pool seldom picks: 0 in most runs, 2 of
# 189,191 in one; Jetty-VT loses about as many, Tomcat-VT dozens. So the check allows 1 in 20,000
# requests (at least 2), enough to fail a server that drops what it is serving, and prints the count.
if $check; then
  read -r total lost < <(awk -F'\t' '$1=="netpoll" {print $2, $5+$6+$7}' "$results") || true
  total=${total:-0}
  lost=${lost:-0}
  limit=$(( total / 20000 > 2 ? total / 20000 : 2 ))
  if [ "${lost:-0}" -gt "$limit" ]; then
    echo "FAILED: Netpoll lost $lost of $total requests during the rolling restart, more than the $limit the keep-alive close race explains (see $out)" >&2
    exit 1
  fi
  echo "rolling restart: Netpoll lost $lost of $total requests (at most $limit allowed for the keep-alive close race)" >&2
fi
