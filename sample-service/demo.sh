#!/usr/bin/env bash
# The seed demo against a running sample service: 10,000 requests from 1,000 concurrent clients,
# each sleeping on the server, while the goroutine and thread gauges are read back.
#   URL=http://127.0.0.1:8080 SLEEP_MS=500 sample-service/demo.sh
set -euo pipefail
URL=${URL:-http://127.0.0.1:8080}
SLEEP_MS=${SLEEP_MS:-500}
if ! command -v hey >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hey >/dev/null
fi
gauge() { curl -s "$URL/actuator/metrics/netpoll.$1" | grep -o '"value":[0-9.]*' | head -1 | cut -d: -f2; }
curl -sf "$URL/actuator/health" >/dev/null || { echo "no sample service at $URL (start it first)" >&2; exit 1; }

printf '%-10s %12s %10s\n' "" goroutines threads
printf '%-10s %12s %10s\n' before "$(gauge goroutines)" "$(gauge threads)"
out=$(mktemp)
hey -n 10000 -c 1000 "$URL/sleep?ms=$SLEEP_MS" >"$out" &
hey_pid=$!
peak_goroutines=0
peak_threads=0
while kill -0 "$hey_pid" 2>/dev/null; do
  g=$(gauge goroutines); t=$(gauge threads)
  g=${g%.*}; t=${t%.*}
  [ -n "$g" ] && [ "$g" -gt "$peak_goroutines" ] && peak_goroutines=$g
  [ -n "$t" ] && [ "$t" -gt "$peak_threads" ] && peak_threads=$t
  sleep 0.2
done
printf '%-10s %12s %10s\n' "peak" "$peak_goroutines" "$peak_threads"
printf '%-10s %12s %10s\n' after "$(gauge goroutines)" "$(gauge threads)"
grep -E "Requests/sec|Status code|\[200\]" "$out" || true
rm -f "$out"
