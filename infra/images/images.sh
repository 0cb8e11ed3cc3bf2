#!/usr/bin/env bash
# ./pipeline images [--check]: builds the four service images with Jib, without a Docker engine, and pushes them to the
# local stack's registry (127.0.0.1:$PIPELINE_REGISTRY_PORT, default 15000; PIPELINE_REGISTRY=host:port for another).
# First it makes the base image from Debian's packages (debootstrap --variant=minbase plus openjdk-17-jre-headless),
# once, and pushes it there as promoter/base-jre:17. --check then runs every image the way a container runtime would
# (layers unpacked into a root file system, entrypoint under chroot) against a Kafka and a PostgreSQL of its own and
# waits for /q/health/ready. Needs root (debootstrap, chroot, mount) and the Debian mirror (PIPELINE_DEBIAN_MIRROR).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
state=${PIPELINE_STATE_DIR:-$root/.pipeline}/images
mirror=${PIPELINE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm   # the Debian release with openjdk-17-jre-headless
base_tag=17
services=(build test promote rollback)
check=""
[ "${1:-}" = "--check" ] && check=1

[ "$(id -u)" = 0 ] || { echo "error: ./pipeline images needs root (debootstrap, chroot, mount)" >&2; exit 1; }
command -v debootstrap >/dev/null || { apt-get update -qq >/dev/null; apt-get install -y -qq debootstrap >/dev/null; }
infra/local/install.sh
mkdir -p "$state"

if [ -n "${PIPELINE_REGISTRY:-}" ]; then
  registry=$PIPELINE_REGISTRY
else
  infra/local/stack.sh start registry
  registry=127.0.0.1:${PIPELINE_REGISTRY_PORT:-15000}
fi

echo "building the image tools..."
mvn -q -B -ntp -DskipTests package -pl infra/images -am
classpath="$root/infra/images/target/classes:$(cat "$root/infra/images/target/classpath.txt")"
tool() { java -Xmx1g -XX:+UseSerialGC -cp "$classpath" "$@"; }

# The base: made once (the debootstrap takes minutes), kept in $state/base-rootfs, pushed on every run (a blob the
# registry has is not sent again).
rootfs=$state/base-rootfs
if [ ! -f "$rootfs/.complete" ]; then
  echo "making the base image's root file system from $mirror ($suite, minbase + openjdk-17-jre-headless)..."
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless "$suite" "$rootfs" "$mirror" >"$state/debootstrap.log" 2>&1 \
    || { echo "error: debootstrap failed, see $state/debootstrap.log" >&2; exit 1; }
  # The user the services run as; Kubernetes' securityContext names the same uid.
  chroot "$rootfs" useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin promoter
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/*
  touch "$rootfs/.complete"
fi
# Devices and /proc are the runtime's to make; the marker is ours.
tar --numeric-owner --exclude=./.complete --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
  -C "$rootfs" -czf "$state/base.tar.gz" .
java_home=$(dirname "$(dirname "$(readlink -f "$rootfs/usr/bin/java" | sed "s|^$rootfs||")")")
base=$(tool dev.promoter.images.BaseImage "$registry" promoter/base-jre "$base_tag" "$state/base.tar.gz" \
  "$(dpkg --print-architecture)" 10001:10001 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin JAVA_HOME="$java_home" LANG=C.UTF-8)
echo "base image: $base"

# The services: Jib on top of the base, with the JVM options every launcher uses (infra/local/service-jvm.options).
jvm_options=$(grep -v '^[[:space:]]*#' infra/local/service-jvm.options | grep -v '^[[:space:]]*$' | paste -sd, -)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain 2>/dev/null)" ] || revision="$revision-dirty"
source_url=$(git remote get-url origin 2>/dev/null || echo "file://$root")
echo "building and pushing the service images (Jib)..."
mvn -q -B -ntp -DskipTests package -pl "$(printf 'services/%s,' "${services[@]}" | sed 's/,$//')" -am \
  -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
  -Dquarkus.container-image.registry="$registry" -Dquarkus.container-image.insecure=true \
  -Dquarkus.jib.base-jvm-image="$registry/promoter/base-jre:$base_tag" \
  -Dquarkus.jib.jvm-additional-arguments="$jvm_options" \
  -Dpipeline.image.revision="$revision" -Dpipeline.image.source="$source_url"
tag=$(sed -n 's|^ *<version>\(.*\)</version>.*|\1|p' pom.xml | head -1)
for service in "${services[@]}"; do
  echo "pushed $registry/promoter/$service:$tag"
done

if [ -n "$check" ]; then
  echo "running each image the way a runtime would (chroot) and waiting for /q/health/ready..."
  tool dev.promoter.images.ImageCheck "$registry" "$tag" "$state/check" "$root/infra/local/kafka-dist/target/lib" \
    $(printf 'promoter/%s ' "${services[@]}")
fi
