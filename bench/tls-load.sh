#!/usr/bin/env bash
# The HTTPS benchmark (issue 13): the same Spring MVC hello (bench/spring, GET / -> "Request #N")
# over TLS on Netpoll, Tomcat and Jetty (both with spring.threads.virtual.enabled=true), each
# pinned to core 1 while wrk drives it from core 0, in one run:
#   - keep-alive throughput at 100 connections (one handshake per connection, then requests);
#   - the handshake rate: Connection: close on every request, so each request is a new TCP
#     connection and a full TLS handshake (wrk does not resume sessions);
# with the server's CPU time per request (utime+stime from /proc, over the measured interval).
# The certificate is a one-run self-signed ECDSA P-256 pair; protocols and ciphers are each
# server's defaults for Boot's server.ssl.* (TLS 1.3 is negotiated by wrk's OpenSSL).
#
# Then the RSS per idle TLS keep-alive connection ($IDLE_CONNS, one request each, then held).
#
#   bench/tls-load.sh                        # full run (about 5 minutes)
#   WARMUP=5s DURATION=5s bench/tls-load.sh  # quicker
#
# Writes bench/results/tls-<timestamp>.md and prints it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
IDLE_CONNS=${IDLE_CONNS:-2000}

. "$root/bench/lib.sh"
install_tools
need openssl || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }
java=$(find_java)
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "building..." >&2
  package_modules bench/spring
fi
jar="$root/bench/spring/target/netpoll-bench-spring.jar"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

jvm=("$java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m -jar "$jar" --spring.main.banner-mode=off
  "--server.ssl.certificate=file:$work/cert.pem" "--server.ssl.certificate-private-key=file:$work/key.pem")
results="$work/results.tsv"
touch "$results"
# measure NAME PID MODE URL WRK_ARGS...: one wrk run; appends "name mode req/s p50 p99 cpu_us_per_req threads rss".
measure() {
  local name=$1 pid=$2 mode=$3 url=$4; shift 4
  local before after
  before=$(cpu_ticks "$pid")
  taskset -c 0 wrk -t1 -d"$DURATION" --latency "$@" "$url" >"$work/wrk.out" &
  local wrk_pid=$!
  sleep $(( ${DURATION%s} / 2 ))
  local threads rss
  threads=$(status_field "$pid" Threads); rss=$(status_field "$pid" VmRSS)
  wait "$wrk_pid"
  after=$(cpu_ticks "$pid")
  local requests rps p50 p99 errors us
  requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
  errors=$(grep -E "Non-2xx|Socket errors" "$work/wrk.out" | tr '\n' ' ' || true)
  us=$(us_per_request "$before" "$after" "$requests")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$mode" "$rps" "$p50" "$p99" "$us" "$threads" "$rss" >>"$results"
  echo "$name $mode: $rps req/s p50=$p50 p99=$p99 cpu=${us}us/req threads=$threads rss=${rss}kB $errors" >&2
}

run_tls_server() { # NAME PORT CMD...
  local name=$1 port=$2; shift 2
  taskset -c 1 "$@" --server.port="$port" >"$work/$name.log" 2>&1 &
  local pid=$!
  wait_port "$port" || { echo "$name did not start" >&2; cat "$work/$name.log" >&2; exit 1; }
  local url="https://localhost:$port/"
  curl -fsS --cacert "$work/cert.pem" "$url" >/dev/null || { echo "$name does not answer HTTPS" >&2; exit 1; }
  taskset -c 0 wrk -t1 -c100 -d"$WARMUP" "$url" >/dev/null
  measure "$name" "$pid" keep-alive-100 "$url" -c100
  measure "$name" "$pid" handshake-per-request-16 "$url" -c16 -H "Connection: close"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# Idle TLS keep-alive connections, one request each, held open.
tls_idle_clients() { exec taskset -c 0 python3 "$root/bench/idle_tls_clients.py" "$1" "$IDLE_CONNS" "$2" "$work/cert.pem"; }

if [ -z "${SKIP_LOAD:-}" ]; then
run_tls_server netpoll 18443 "${jvm[@]}" $(spring_server netpoll)
run_tls_server tomcat-vt 18444 "${jvm[@]}" \
  $(spring_server tomcat-vt)
run_tls_server jetty-vt 18445 "${jvm[@]}" \
  $(spring_server jetty-vt)
fi

ulimit -n 20000
touch "$work/idle.tsv"
if [ -z "${SKIP_IDLE:-}" ]; then
idle_rss netpoll 18446 https://localhost:18446/ tls_idle_clients "${jvm[@]}" --server.port=18446 $(spring_server netpoll)
idle_rss tomcat-vt 18447 https://localhost:18447/ tls_idle_clients "${jvm[@]}" --server.port=18447 $(spring_server tomcat-vt)
idle_rss jetty-vt 18448 https://localhost:18448/ tls_idle_clients "${jvm[@]}" --server.port=18448 $(spring_server jetty-vt)
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/tls-$stamp.md"
{
  echo "# HTTPS benchmark, $stamp"
  echo
  echo "The same Spring Boot application (\`GET /\` returns \`Request #N\`) over TLS on each server, pinned to core 1"
  echo "(\`taskset -c 1\`), \`wrk -t1\` on core 0, warm-up $WARMUP, measured $DURATION. Self-signed ECDSA P-256"
  echo "certificate, each server's default protocols and ciphers. keep-alive-100: 100 persistent connections;"
  echo "handshake-per-request-16: 16 connections each closed after one request (a full handshake per request)."
  echo "CPU: the server's utime+stime over the measured run divided by the requests served."
  echo "JVM: $("$java" -version 2>&1 | head -1); -Xms256m -Xmx256m; $(openssl version); $(nproc) cores."
  if [ -s "$results" ]; then
  echo
  echo "| server | mode | req/s | p50 | p99 | server CPU µs/req | OS threads | RSS |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %d MiB |\n", $1, $2, $3, $4, $5, $6, $7, $8/1024}' "$results"
  echo
  echo "| ratio | keep-alive-100 | handshake-per-request-16 |"
  echo "|---|---|---|"
  awk -F'\t' '{rps[$1 FS $2]=$3} END {
    split("keep-alive-100 handshake-per-request-16", modes, " ");
    for (i = 1; i <= 2; i++) { m = modes[i]; t = rps["tomcat-vt" FS m]; j = rps["jetty-vt" FS m]; best[i] = t > j ? t : j }
    printf "| netpoll / best of Tomcat and Jetty | %.2f | %.2f |\n", rps["netpoll" FS modes[1]]/best[1], rps["netpoll" FS modes[2]]/best[2] }' "$results"
  fi
  if [ -s "$work/idle.tsv" ]; then
    echo
    echo "Idle TLS keep-alive connections ($IDLE_CONNS, one request each, then held open by a Python client):"
    echo
    echo "| server | RSS before | RSS with idle conns | bytes per conn | OS threads |"
    echo "|---|---|---|---|---|"
    awk -F'\t' '{printf "| %s | %d MiB | %d MiB | %s | %s |\n", $1, $2/1024, $3/1024, $4, $5}' "$work/idle.tsv"
  fi
} >"$out"
cat "$out"
