#!/usr/bin/env bash
# The Spring MVC load benchmark: the same minimal application (GET / -> "Request #N") on Netpoll,
# on Tomcat and on Jetty, both with spring.threads.virtual.enabled=true, each pinned to core 1
# while wrk -t1 drives it from core 0, keep-alive, at 100 and 1000 connections, in one run.
#
#   bench/spring-load.sh                       # full run (about 3 minutes)
#   WARMUP=5s DURATION=5s bench/spring-load.sh # quicker
#
# Writes bench/results/spring-mvc-<timestamp>.md and prints it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

. "$root/bench/lib.sh"
install_tools
java=$(find_java)
echo "building..." >&2
package_modules bench/spring
jar="$root/bench/spring/target/netpoll-bench-spring.jar"

jvm=("$java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m -jar "$jar" --spring.main.banner-mode=off)
results="$work/results.tsv"
touch "$results"

run_server "$results" netpoll 18181 "${jvm[@]}" --server.port=18181 \
  $(spring_server netpoll)
run_server "$results" tomcat-vt 18182 "${jvm[@]}" --server.port=18182 \
  $(spring_server tomcat-vt)
run_server "$results" jetty-vt 18183 "${jvm[@]}" --server.port=18183 \
  $(spring_server jetty-vt)

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/bench/results/spring-mvc-$stamp.md"
{
  echo "# Spring MVC load benchmark, $stamp"
  echo
  echo "The same Spring Boot $("$(dirname "$java")/jar" tf "$jar" | grep -o 'spring-boot-[0-9][0-9.]*[0-9]' | head -1 | sed 's/spring-boot-//') application (\`GET /\` returns \`Request #N\`) on each server, pinned to core 1"
  echo "(\`taskset -c 1\`), \`wrk -t1\` on core 0, keep-alive, warm-up $WARMUP, measured $DURATION."
  echo "Tomcat and Jetty run with \`spring.threads.virtual.enabled=true\`. Threads and RSS sampled mid-run."
  echo "JVM: $("$java" -version 2>&1 | head -1); -Xms256m -Xmx256m."
  echo
  results_table "$results"
  echo
  echo "| ratio | 100 conns | 1000 conns |"
  echo "|---|---|---|"
  awk -F'\t' '{rps[$1 FS $2]=$3} END {
    for (c = 100; c <= 1000; c *= 10) { best[c] = rps["tomcat-vt" FS c] > rps["jetty-vt" FS c] ? rps["tomcat-vt" FS c] : rps["jetty-vt" FS c] }
    printf "| netpoll / best of Tomcat and Jetty | %.2f | %.2f |\n", rps["netpoll" FS 100]/best[100], rps["netpoll" FS 1000]/best[1000];
    printf "| netpoll / tomcat-vt | %.2f | %.2f |\n", rps["netpoll" FS 100]/rps["tomcat-vt" FS 100], rps["netpoll" FS 1000]/rps["tomcat-vt" FS 1000];
    printf "| netpoll / jetty-vt | %.2f | %.2f |\n", rps["netpoll" FS 100]/rps["jetty-vt" FS 100], rps["netpoll" FS 1000]/rps["jetty-vt" FS 1000] }' "$results"
} >"$out"
cat "$out"
