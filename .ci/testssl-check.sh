#!/usr/bin/env bash
# testssl.sh against the sample service's tls profile (issue 13): the server must offer nothing
# older than TLS 1.2 and no weak cipher. Needs the packaged sample (./mvnw verify), java 21+,
# openssl and Debian's testssl.sh. Prints testssl's findings and fails on the first bad one.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64 2>/dev/null || true)}
JAVA=${JAVA:+$JAVA/bin/}java
PORT=${PORT:-18443}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

# A throw-away certificate for this run only.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

"$JAVA" --enable-native-access=ALL-UNNAMED -jar sample-service/target/netpoll-sample-service.jar \
  --spring.profiles.active=tls --server.port="$PORT" --netpoll.sample.tls.dir="$work" >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  curl -fsS --cacert "$work/cert.pem" "https://localhost:$PORT/actuator/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS --cacert "$work/cert.pem" "https://localhost:$PORT/actuator/health" >/dev/null \
  || { echo "the sample service did not come up with TLS" >&2; tail -30 "$work/service.log" >&2; exit 1; }

testssl=$(command -v testssl || command -v testssl.sh)
# -p protocols, -s cipher categories; JSON findings have an id and a severity per check.
"$testssl" --quiet --color 0 --warnings off -p -s --jsonfile "$work/result.json" "localhost:$PORT" >"$work/testssl.log" 2>&1 || true
cat "$work/testssl.log"

fail=0
for id in SSLv2 SSLv3 TLS1 TLS1_1; do
  if ! grep -A5 "\"id\" *: *\"$id\"" "$work/result.json" | grep -q '"finding" *: *"not offered'; then
    echo "FAIL: $id is offered (or testssl could not tell)" >&2
    fail=1
  fi
done
for id in TLS1_2 TLS1_3; do
  grep -A5 "\"id\" *: *\"$id\"" "$work/result.json" | grep -q '"finding" *: *"offered' \
    || { echo "FAIL: $id is not offered" >&2; fail=1; }
done
# Cipher categories testssl rates weak: NULL, anonymous, export, LOW (64-bit), 3DES/IDEA, and
# AVERAGE (the obsolete CBC suites, which the default list leaves out).
for id in cipherlist_NULL cipherlist_aNULL cipherlist_EXPORT cipherlist_LOW cipherlist_3DES_IDEA cipherlist_AVERAGE; do
  if ! grep -A5 "\"id\" *: *\"$id\"" "$work/result.json" | grep -q '"finding" *: *"not offered'; then
    echo "FAIL: $id ciphers are offered (or testssl could not tell)" >&2
    fail=1
  fi
done
[ "$fail" = 0 ] && echo "testssl: TLS 1.2/1.3 only, no weak cipher"
exit "$fail"
