# Shared by the load benchmarks: tools, the JDK, and running one server pinned to core 1 while
# wrk drives it from core 0. Source it after setting $root; it sets the durations' defaults and a
# scratch directory $work that is removed, with any server left running, on exit.

WARMUP=${WARMUP:-15s}
DURATION=${DURATION:-10s}
work=$(mktemp -d)
trap 'jobs -p | xargs -r kill 2>/dev/null || true; rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null 2>&1; }

install_tools() {
  if ! need wrk || ! need go || ! need gcc || ! need taskset || ! need curl; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk golang-go gcc util-linux curl >/dev/null
  fi
}

find_java() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
      echo "$candidate/bin/java"; return 0
    fi
  done
  echo "no JDK 21+ found (set JAVA_HOME)" >&2
  return 1
}

# package_modules MODULES: builds the listed modules (comma-separated) and what they need, always
# writing fresh jars: without forceCreation the jar plugin keeps a jar whose own classes did not
# change, and Boot's repackage then leaves the server's old classes inside it.
package_modules() {
  (cd "$root" && ./mvnw -q -pl "$1" -am package -DskipTests -Dmaven.jar.forceCreation=true)
}

wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
status_field() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status"; }

# live_heap PID: the JVM's live heap in bytes, after the full GC that jcmd's class histogram runs first.
live_heap() { "$(dirname "$(find_java)")/jcmd" "$1" GC.class_histogram | awk '$1=="Total" {print $3}'; }

# spring_server NAME: the arguments that make a Spring Boot application of bench/ run on NAME
# (netpoll, tomcat-vt or jetty-vt): the other two servers' auto-configurations excluded, and
# virtual threads for Tomcat and Jetty, as their users would run them against ours.
spring_server() {
  local netpoll=dev.netpoll.autoconfigure.NetpollServletWebServerAutoConfiguration
  local tomcat=org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration
  local jetty=org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration
  case $1 in
    netpoll) echo "--spring.autoconfigure.exclude=$tomcat,$jetty" ;;
    tomcat-vt) echo "--spring.threads.virtual.enabled=true --spring.autoconfigure.exclude=$netpoll,$jetty" ;;
    jetty-vt) echo "--spring.threads.virtual.enabled=true --spring.autoconfigure.exclude=$netpoll,$tomcat" ;;
    *) echo "spring_server: no server named $1" >&2; return 1 ;;
  esac
}

# warm_until_steady MAX CMD...: runs CMD, which prints one number (a rate, or a cost per request),
# until two runs in a row agree within 15%, at most MAX times. A Spring Boot JVM's JIT spends its
# first minute under load compiling start-up code (class loading, jar URLs) queued at start, and
# the request path waits behind it: one churn run went 239, 153, 122, 92, 77, 58, 43 us of CPU
# per connection over seven runs of 20,000, with 7.5 s of compilation in the first. Until then a
# run measures the compiler.
warm_until_steady() {
  local max=$1; shift
  local prev=0 rate="" i
  for i in $(seq 1 "$max"); do
    rate=$("$@")
    if awk -v a="$prev" -v b="${rate:-0}" 'BEGIN {d = b - a; if (d < 0) d = -d; exit !(a > 0 && d <= 0.15 * a)}'; then
      echo "  steady after $i warm-up runs (last: ${rate})" >&2
      return 0
    fi
    prev=${rate:-0}
  done
  echo "  still not steady after $max warm-up runs (last: ${rate})" >&2
}

# The server's CPU time so far (user + system), in clock ticks, from /proc/PID/stat.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks=$(getconf CLK_TCK)

# us_per_request TICKS_BEFORE TICKS_AFTER REQUESTS: server CPU microseconds per request.
us_per_request() { awk -v d=$(($2 - $1)) -v t="$ticks" -v n="$3" 'BEGIN {printf "%.1f", (n > 0 ? d * 1e6 / t / n : 0)}'; }

# run_server RESULTS NAME PORT CMD...: warm up, then measure at 100 and 1000 connections; appends
# "name conns req/s p50 p99 threads rss_kb cpu_us_per_req" lines to RESULTS. Runs $after_measure NAME PORT PID
# (if set) before stopping the server.
run_server() {
  local results=$1 name=$2 port=$3; shift 3
  taskset -c 1 "$@" >"$work/$name.log" 2>&1 &
  local pid=$!
  wait_port "$port" || { echo "$name did not start" >&2; cat "$work/$name.log" >&2; exit 1; }
  taskset -c 0 wrk -t1 -c100 -d"$WARMUP" "http://127.0.0.1:$port/" >/dev/null
  # The burst of 1,000 connects too: a JVM that has only ever accepted a hundred connections runs
  # its connection set-up interpreted, and the first requests of the 1,000 then wait ~0.5 s
  # (h2load --log-file shows exactly those 1,000 as the slow ones), which is warm-up, not load.
  taskset -c 0 wrk -t1 -c1000 -d"${BURST:-5s}" "http://127.0.0.1:$port/" >/dev/null
  local conns
  for conns in 100 1000; do
    local cpu_before cpu_after
    cpu_before=$(cpu_ticks "$pid")
    taskset -c 0 wrk -t1 -c"$conns" -d"$DURATION" --latency "http://127.0.0.1:$port/" >"$work/wrk.out" &
    local wrk_pid=$!
    sleep $(( ${DURATION%s} / 2 ))
    local threads rss
    threads=$(status_field "$pid" Threads); rss=$(status_field "$pid" VmRSS)
    wait "$wrk_pid"
    cpu_after=$(cpu_ticks "$pid")
    local rps p50 p99 errors us
    us=$(us_per_request "$cpu_before" "$cpu_after" "$(awk '/requests in/ {print $1}' "$work/wrk.out")")
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
    p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
    p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
    errors=$(grep -E "Non-2xx|Socket errors" "$work/wrk.out" | tr '\n' ' ' || true)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$conns" "$rps" "$p50" "$p99" "$threads" "$rss" "$us" >>"$results"
    echo "$name c=$conns: $rps req/s p50=$p50 p99=$p99 cpu=${us}us/req threads=$threads rss=${rss}kB $errors" >&2
  done
  if [ -n "${after_measure:-}" ]; then "$after_measure" "$name" "$port" "$pid"; fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# results_table RESULTS: the markdown table of run_server's lines.
results_table() {
  echo "| server | conns | req/s | p50 | p99 | server CPU µs/req | OS threads | RSS |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %d MiB |\n", $1, $2, $3, $4, $5, $8, $6, $7/1024}' "$1"
}

# idle_rss NAME PORT URL CLIENT CMD...: RSS of the server CMD before and with $IDLE_CONNS idle
# keep-alive connections, after warming it up on URL. CLIENT is a function run in the background
# as CLIENT PORT READY_FILE; it execs a client (pinned to core 0) that opens the connections, one
# request each, touches READY_FILE and holds them until killed (exec: the kill must reach it).
# Appends "name rss_before_kb rss_after_kb bytes_per_conn threads" to
# $work/idle.tsv.
idle_rss() {
  local name=$1 port=$2 url=$3 client=$4; shift 4
  taskset -c 1 "$@" >"$work/$name-idle.log" 2>&1 &
  local pid=$!
  wait_port "$port" || { echo "$name did not start" >&2; cat "$work/$name-idle.log" >&2; exit 1; }
  taskset -c 0 wrk -t1 -c100 -d5s "$url" >/dev/null
  sleep 1
  local before after threads
  before=$(status_field "$pid" VmRSS)
  "$client" "$port" "$work/$name-idle.ready" &
  local clients=$!
  for _ in $(seq 1 1200); do [ -f "$work/$name-idle.ready" ] && break; sleep 0.1; done
  sleep 2
  after=$(status_field "$pid" VmRSS); threads=$(status_field "$pid" Threads)
  kill "$clients" 2>/dev/null || true; wait "$clients" 2>/dev/null || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local per=$(( (after - before) * 1024 / IDLE_CONNS ))
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$before" "$after" "$per" "$threads" >>"$work/idle.tsv"
  echo "$name idle: rss ${before}kB -> ${after}kB with $IDLE_CONNS idle connections = $per bytes/conn, threads=$threads" >&2
}
