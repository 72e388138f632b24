#!/usr/bin/env bash
# The raw HTTP load benchmark: Netpoll's raw server against Go's net/http and the C ceiling,
# each pinned to core 1 while wrk drives it from core 0, keep-alive GET /, at 100 and 1000
# connections, all in one run so that ratios are comparable. Between them, the C program
# rewritten on Netpoll's runtime without the HTTP layer (RuntimeFloorServer): its CPU per
# request is what the runtime alone costs. With IDLE=1, then RSS per idle keep-alive connection
# (10,000 of them) for Netpoll and Go (bench/idle-memory.sh measures the Spring applications).
#
#   bench/load.sh                 # full run (about 3 minutes)
#   IDLE=1 bench/load.sh          # and the idle connections (one more minute)
#   WARMUP=5s DURATION=5s bench/load.sh   # quicker
#
# Writes bench/results/raw-http-<timestamp>.md and prints it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS:-$root/../shared/peers}
IDLE_CONNS=${IDLE_CONNS:-10000}

. "$root/bench/lib.sh"
install_tools
java=$(find_java)

echo "building..." >&2
package_modules bench
cp -r "$peers/go-hello" "$work/go-hello"
(cd "$work/go-hello" && { [ -f go.mod ] || go mod init peer >/dev/null 2>&1; } && go build -o go-hello .)
gcc -O2 -D_GNU_SOURCE -o "$work/ceiling" "$peers/c-ceiling/ceiling.c"

results="$work/results.tsv"
save_stats() { if [ "$1" = netpoll ]; then curl -s "http://127.0.0.1:$2/stats" >"$work/netpoll-stats.txt" || true; fi; }
after_measure=save_stats

jvm_flags=(--enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m ${EXTRA_JVM_FLAGS:-})
touch "$results"
if [ -z "${SKIP_LOAD:-}" ]; then
run_server "$results" netpoll 18081 "$java" "${jvm_flags[@]}" -cp "$root/bench/target/netpoll-bench.jar" dev.netpoll.http.RawServer 18081
run_server "$results" netpoll-floor 18085 "$java" "${jvm_flags[@]}" -cp "$root/bench/target/netpoll-bench.jar" dev.netpoll.bench.RuntimeFloorServer 18085
# The native programs have no JIT to warm: a short warm-up keeps the scripts within 15 minutes.
PORT=18082 WARMUP=3s BURST=2s run_server "$results" go 18082 "$work/go-hello/go-hello"
WARMUP=3s BURST=2s run_server "$results" ceiling 8080 "$work/ceiling"
fi

# RSS per idle keep-alive connection (IDLE=1): open IDLE_CONNS connections, one request each, hold them.
touch "$work/idle.tsv"
if [ -n "${IDLE:-}" ]; then
  plain_idle_clients() { exec taskset -c 0 python3 "$root/bench/idle_clients.py" "$1" "$IDLE_CONNS" "$2"; }
  ulimit -n 20000
  idle_rss netpoll 18083 http://127.0.0.1:18083/ plain_idle_clients "$java" "${jvm_flags[@]}" -cp "$root/bench/target/netpoll-bench.jar" dev.netpoll.http.RawServer 18083
  PORT=18084 idle_rss go 18084 http://127.0.0.1:18084/ plain_idle_clients "$work/go-hello/go-hello"
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/raw-http-$stamp.md"
{
  echo "# Raw HTTP load benchmark, $stamp"
  echo
  echo "Server pinned to core 1 (\`taskset -c 1\`), \`wrk -t1\` on core 0, keep-alive \`GET /\`,"
  echo "warm-up $WARMUP (Go and C: 3 s), measured $DURATION. Threads and RSS sampled mid-run from /proc. $(nproc) cores, $(uname -r)."
  echo "JVM: $("$java" -version 2>&1 | head -1); flags: ${jvm_flags[*]}"
  echo
  if [ -s "$results" ]; then
  results_table "$results"
  echo
  echo "| ratio | 100 conns | 1000 conns |"
  echo "|---|---|---|"
  awk -F'\t' '{rps[$1 FS $2]=$3} END {
    printf "| netpoll / go | %.2f | %.2f |\n", rps["netpoll" FS 100]/rps["go" FS 100], rps["netpoll" FS 1000]/rps["go" FS 1000];
    printf "| netpoll / ceiling | %.2f | %.2f |\n", rps["netpoll" FS 100]/rps["ceiling" FS 100], rps["netpoll" FS 1000]/rps["ceiling" FS 1000] }' "$results"
  echo
  echo "Server CPU per request relative to the C ceiling (target: at most 1.15):"
  echo
  echo "| ratio of CPU µs/req | 100 conns | 1000 conns |"
  echo "|---|---|---|"
  awk -F'\t' '{us[$1 FS $2]=$8} END {
    printf "| netpoll / ceiling | %.2f | %.2f |\n", us["netpoll" FS 100]/us["ceiling" FS 100], us["netpoll" FS 1000]/us["ceiling" FS 1000];
    printf "| netpoll-floor / ceiling | %.2f | %.2f |\n", us["netpoll-floor" FS 100]/us["ceiling" FS 100], us["netpoll-floor" FS 1000]/us["ceiling" FS 1000];
    printf "| go / ceiling | %.2f | %.2f |\n", us["go" FS 100]/us["ceiling" FS 100], us["go" FS 1000]/us["ceiling" FS 1000] }' "$results"
  echo
  echo "netpoll-floor is the C program on Netpoll's runtime (epoll poll task, a task per connection,"
  echo "JNA), without the HTTP layer: the part of netpoll's CPU per request that the runtime alone costs."
  echo
  echo "Netpoll's own view after the run (\`GET /stats\`): $(cat "$work/netpoll-stats.txt" 2>/dev/null)"
  echo
  fi
  if [ -s "$work/idle.tsv" ]; then
    echo "Idle keep-alive connections ($IDLE_CONNS, one request each, then held open):"
    echo
    echo "| server | RSS before | RSS with idle conns | bytes per conn | OS threads |"
    echo "|---|---|---|---|---|"
    awk -F'\t' '{printf "| %s | %d MiB | %d MiB | %s | %s |\n", $1, $2/1024, $3/1024, $4, $5}' "$work/idle.tsv"
  fi
} >"$out"
cat "$out"
