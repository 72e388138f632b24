#!/usr/bin/env bash
# The HTTP/2 benchmark (issue 14): the Spring MVC hello of bench/spring (GET / -> "Request #N")
# with server.http2.enabled=true on Netpoll, Tomcat and Jetty (both with virtual threads), each
# pinned to core 1 while h2load drives it from core 0:
#   - h2c (prior knowledge) and h2 over TLS (ALPN);
#   - 100 connections x 10 concurrent streams each, and 1 connection x 100 streams;
# plus Go's net/http TLS server (HTTP/2 from the standard library; Go has no h2c without x/net).
# Reports requests/s, p50/p99 (from h2load's per-request log), the server's CPU µs per request
# (utime+stime from /proc over the measured run) and the RSS and live heap per idle h2 connection.
#
#   bench/h2-load.sh                                   # full run (about 6 minutes)
#   WARMUP=2 DURATION=3 IDLE_CONNS=200 bench/h2-load.sh  # a quick check of the script
#   ONLY=netpoll bench/h2-load.sh                      # one server (netpoll, tomcat-vt, jetty-vt, go)
#
# WARMUP and DURATION are seconds here (h2load's -D and --warm-up-time). Needs h2load
# (nghttp2-client), installed if missing. Writes bench/results/h2-<timestamp>.md and prints it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-10}
IDLE_CONNS=${IDLE_CONNS:-1000}
ONLY=${ONLY:-}

. "$root/bench/lib.sh"
install_tools
need h2load || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null; }
need openssl || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }
java=$(find_java)
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "building..." >&2
  package_modules bench/spring
fi
jar="$root/bench/spring/target/netpoll-bench-spring.jar"
cp -r "$root/bench/go-h2" "$work/go-h2"
(cd "$work/go-h2" && { [ -f go.mod ] || go mod init peer >/dev/null 2>&1; } && go build -o go-h2 .)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

jvm=("$java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m -jar "$jar" --spring.main.banner-mode=off
  --server.http2.enabled=true)
tls=("--server.ssl.certificate=file:$work/cert.pem" "--server.ssl.certificate-private-key=file:$work/key.pem")
results="$work/results.tsv"
touch "$results" "$work/idle.tsv"
ticks=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
selected() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

# measure NAME PID MODE URL CONNS STREAMS: one h2load run; appends
# "name mode req/s p50_ms p99_ms cpu_us_per_req threads rss_kb".
measure() {
  local name=$1 pid=$2 mode=$3 url=$4 conns=$5 streams=$6
  local before after
  rm -f "$work/h2load.log"
  before=$(cpu_ticks "$pid")
  # timeout: a server that stops answering mid-run (seen with Jetty over TLS) must not hang the script.
  taskset -c 0 timeout $(( WARMUP + DURATION + 30 )) h2load -t1 -c"$conns" -m"$streams" -D"$DURATION" --warm-up-time="$WARMUP" \
    --log-file="$work/h2load.log" "$url" >"$work/h2load.out" 2>&1 &
  local load=$!
  sleep $(( WARMUP + DURATION / 2 ))
  local threads rss
  threads=$(status_field "$pid" Threads); rss=$(status_field "$pid" VmRSS)
  wait "$load" || true
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "$name died during $mode; the end of its log:" >&2; tail -20 "$work/$name.log" >&2
    printf '%s\t%s\tdied\t-\t-\t-\t-\t0\n' "$name" "$mode" >>"$results"
    return 1
  fi
  after=$(cpu_ticks "$pid")
  # The CPU interval includes the warm-up: divide by every request h2load sent, warm-up included
  # (its log lists only the measured ones, so count the CPU of those by their share of the time).
  local rps done_requests p50 p99 us failed
  rps=$(awk '/^finished in/ {print $4}' "$work/h2load.out")
  done_requests=$(awk '/^requests:/ {print $8}' "$work/h2load.out")
  failed=$(awk '/^requests:/ {print $10 " failed, " $12 " errored"}' "$work/h2load.out")
  read -r p50 p99 < <(awk -F'\t' '{print $3}' "$work/h2load.log" | sort -n | awk '{v[NR]=$1} END {
      if (NR == 0) { print "- -"; exit }
      a = int(NR * 0.5); if (a < 1) a = 1; b = int(NR * 0.99); if (b < 1) b = 1
      printf "%.2f %.2f\n", v[a] / 1000, v[b] / 1000 }')
  us=$(awk -v d=$((after - before)) -v t="$ticks" -v n="${done_requests:-0}" -v w="$WARMUP" -v m="$DURATION" \
    'BEGIN {printf "%.1f", (n > 0 ? d * 1e6 / t / (n * (w + m) / m) : 0)}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$mode" "${rps:-0}" "$p50" "$p99" "$us" "$threads" "$rss" >>"$results"
  echo "$name $mode: ${rps:-0} req/s p50=${p50}ms p99=${p99}ms cpu=${us}us/req threads=$threads rss=${rss}kB ($failed)" >&2
}

# idle_rss NAME PID PORT: RSS before and with IDLE_CONNS idle h2c connections (one request each,
# then held open by bench/idle_h2_clients.py).
idle_rss() {
  local name=$1 pid=$2 port=$3
  local before after heap0 heap1
  sleep 1
  heap0=$(live_heap "$pid"); before=$(status_field "$pid" VmRSS)
  rm -f "$work/$name.ready"
  taskset -c 0 python3 "$root/bench/idle_h2_clients.py" "$port" "$IDLE_CONNS" "$work/$name.ready" &
  local clients=$!
  for _ in $(seq 1 1200); do [ -f "$work/$name.ready" ] && break; sleep 0.1; done
  sleep 2
  heap1=$(live_heap "$pid"); after=$(status_field "$pid" VmRSS)
  kill "$clients" 2>/dev/null || true; wait "$clients" 2>/dev/null || true
  local per=$(( (after - before) * 1024 / IDLE_CONNS )) heap_per=$(( (heap1 - heap0) / IDLE_CONNS ))
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$before" "$after" "$per" "$heap_per" >>"$work/idle.tsv"
  echo "$name idle h2c: rss ${before}kB -> ${after}kB with $IDLE_CONNS connections = $per bytes/conn, live heap $heap_per bytes/conn" >&2
}

# run NAME PORT SCHEMES CMD...: every mode of the server on PORT, for each scheme in SCHEMES (h2c, h2).
run() {
  local name=$1 port=$2 schemes=$3; shift 3
  selected "$name" || return 0
  taskset -c 1 "$@" >"$work/$name.log" 2>&1 &
  local pid=$!
  wait_port "$port" || { echo "$name did not start" >&2; cat "$work/$name.log" >&2; exit 1; }
  local scheme url
  for scheme in $schemes; do
    if [ "$scheme" = h2 ]; then url="https://localhost:$port/"; else url="http://127.0.0.1:$port/"; fi
    # A listening port is not yet a serving one (Jetty opens its TLS connector before it answers):
    # ask for up to 20 s; a server that never answers is reported and skipped, the others still run.
    local answered=""
    for _ in $(seq 1 40); do
      if curl -fsS --cacert "$work/cert.pem" $([ "$scheme" = h2 ] && echo --http2 || echo --http2-prior-knowledge) \
        -o /dev/null -w '%{http_version}' "$url" 2>/dev/null | grep -qx 2; then answered=1; break; fi
      sleep 0.5
    done
    if [ -z "$answered" ]; then
      echo "$name does not answer $scheme over HTTP/2; skipped" >&2
      printf '%s\t%s\tno HTTP/2\t-\t-\t-\t-\t0\n' "$name" "$scheme" >>"$results"
      continue
    fi
    measure "$name" "$pid" "$scheme-100x10" "$url" 100 10 || return 0
    measure "$name" "$pid" "$scheme-1x100" "$url" 1 100 || return 0
  done
  if [ "$schemes" = h2c ]; then idle_rss "$name" "$pid" "$port"; fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

ulimit -n 20000
# Each Spring server serves h2c on its port, then again with TLS for h2.
run netpoll 18180 h2c "${jvm[@]}" --server.port=18180 $(spring_server netpoll)
run netpoll 18181 h2 "${jvm[@]}" --server.port=18181 "${tls[@]}" $(spring_server netpoll)
run tomcat-vt 18182 h2c "${jvm[@]}" --server.port=18182 \
  $(spring_server tomcat-vt)
run tomcat-vt 18183 h2 "${jvm[@]}" --server.port=18183 "${tls[@]}" \
  $(spring_server tomcat-vt)
run jetty-vt 18184 h2c "${jvm[@]}" --server.port=18184 \
  $(spring_server jetty-vt)
run jetty-vt 18185 h2 "${jvm[@]}" --server.port=18185 "${tls[@]}" \
  $(spring_server jetty-vt)
PORT=18186 CERT="$work/cert.pem" KEY="$work/key.pem" run go 18186 h2 "$work/go-h2/go-h2"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/h2-$stamp.md"
{
  echo "# HTTP/2 benchmark, $stamp"
  echo
  echo "The Spring Boot hello (\`GET /\` returns \`Request #N\`) with \`server.http2.enabled=true\` on each server,"
  echo "pinned to core 1 (\`taskset -c 1\`); \`h2load -t1\` on core 0, warm-up ${WARMUP}s, measured ${DURATION}s."
  echo "h2c: prior knowledge; h2: TLS 1.3 with ALPN, self-signed ECDSA P-256. 100x10: 100 connections with 10"
  echo "concurrent streams each; 1x100: one connection with 100. p50/p99 from h2load's per-request log."
  echo "CPU: the server's utime+stime over the run divided by the requests (warm-up included in both)."
  echo "Go: net/http's TLS server (HTTP/2 from the standard library), the same answer."
  echo "JVM: $("$java" -version 2>&1 | head -1); -Xms256m -Xmx256m; $(h2load --version 2>&1 | head -1); $(nproc) cores."
  echo
  echo "| server | mode | req/s | p50 ms | p99 ms | server CPU µs/req | OS threads | RSS |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %d MiB |\n", $1, $2, $3, $4, $5, $6, $7, $8/1024}' "$results"
  echo
  echo "| ratio | h2c-100x10 | h2c-1x100 | h2-100x10 | h2-1x100 |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '{rps[$1 FS $2]=$3} END {
    split("h2c-100x10 h2c-1x100 h2-100x10 h2-1x100", modes, " ");
    line = "| netpoll / best of Tomcat and Jetty"; goline = "| netpoll / Go";
    for (i = 1; i <= 4; i++) { m = modes[i]; t = rps["tomcat-vt" FS m]; j = rps["jetty-vt" FS m]; b = t > j ? t : j;
      line = line sprintf(" | %s", b > 0 ? sprintf("%.2f", rps["netpoll" FS m] / b) : "-");
      g = rps["go" FS m]; goline = goline sprintf(" | %s", g > 0 ? sprintf("%.2f", rps["netpoll" FS m] / g) : "-") }
    print line " |"; print goline " |" }' "$results"
  if [ -s "$work/idle.tsv" ]; then
    echo
    echo "Idle h2c connections ($IDLE_CONNS, one request each, then held open by bench/idle_h2_clients.py; Go serves"
    echo "no h2c, so it is not in this table):"
    echo
    echo "| server | RSS before | RSS with idle conns | RSS bytes per conn | live heap bytes per conn (after a full GC) |"
    echo "|---|---|---|---|---|"
    awk -F'\t' '{printf "| %s | %d MiB | %d MiB | %s | %s |\n", $1, $2/1024, $3/1024, $4, $5}' "$work/idle.tsv"
  fi
} >"$out"
cat "$out"
