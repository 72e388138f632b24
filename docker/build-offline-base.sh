#!/usr/bin/env bash
# Builds the two base images docker/Dockerfile needs without any image registry: a Debian root
# file system from debootstrap (Debian's package mirror is enough), plus this host's JDK 25 for
# the build stage and a jlink'd JRE for the runtime stage. For air-gapped hosts and for CI here.
# Run from the repository root; the last line printed is the docker build command to use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BASE_IMAGE=${BASE_IMAGE:-netpoll/debian-base:bookworm}
JDK_IMAGE=${JDK_IMAGE:-netpoll/jdk:25}
JRE_IMAGE=${JRE_IMAGE:-netpoll/jre:25}
jdk=${JDK_HOME:-}
if [ -z "$jdk" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [ -x "$candidate/bin/jlink" ]; then jdk=$candidate; break; fi
  done
fi
[ -n "$jdk" ] && [ -x "$jdk/bin/jlink" ] || { echo "no JDK 25 with jlink found: set JDK_HOME" >&2; exit 1; }
command -v docker >/dev/null || { echo "docker is not installed" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  echo "debootstrap: Debian bookworm (minbase) ..." >&2
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/rootfs" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$work/rootfs"
fi

java_image() { # image directory-with-java
  local image=$1 dir=$2
  # Debian's JDK packages link cacerts to /etc/ssl/certs, which the image lacks: copy the
  # trust store itself, or TLS (Maven Central) fails with an empty set of trust anchors.
  rm -f "$dir/java/lib/security/cacerts"
  cp -L "$jdk/lib/security/cacerts" "$dir/java/lib/security/cacerts"
  cat >"$dir/Dockerfile" <<DOCKERFILE
FROM $BASE_IMAGE
COPY java /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOCKERFILE
  docker build -q -t "$image" "$dir" >/dev/null
}
if ! docker image inspect "$JDK_IMAGE" >/dev/null 2>&1; then
  echo "JDK image from $jdk ..." >&2
  mkdir -p "$work/jdk" && cp -a "$jdk" "$work/jdk/java"
  java_image "$JDK_IMAGE" "$work/jdk"
  rm -rf "$work/jdk"
fi
if ! docker image inspect "$JRE_IMAGE" >/dev/null 2>&1; then
  echo "JRE image (jlink) ..." >&2
  mkdir -p "$work/jre"
  # Java SE plus what a Spring Boot service on Netpoll reaches for: jdk.management (the
  # virtual-thread scheduler MXBean), jdk.unsupported, DNS, zip file systems, charsets, JFR and jcmd.
  "$jdk/bin/jlink" --strip-debug --no-man-pages --no-header-files --output "$work/jre/java" \
    --add-modules java.se,jdk.management,jdk.management.agent,jdk.unsupported,jdk.crypto.cryptoki,jdk.naming.dns,jdk.zipfs,jdk.charsets,jdk.localedata,jdk.net,jdk.jfr,jdk.jcmd
  java_image "$JRE_IMAGE" "$work/jre"
  rm -rf "$work/jre"
fi
cd "$root"
echo "docker build -f docker/Dockerfile --network host --build-arg BUILD_IMAGE=$JDK_IMAGE --build-arg RUNTIME_IMAGE=$JRE_IMAGE -t netpoll-sample-service ."
