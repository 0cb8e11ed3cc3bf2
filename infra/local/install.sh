#!/usr/bin/env bash
# Installs the system packages the local stack needs when they are missing: the CNCF Distribution
# registry (Debian package docker-registry). Java 17+ and Maven 3.8+ must already be there.
# Safe to run again.
set -euo pipefail

for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required (Java 17+ and Maven 3.8+)" >&2; exit 1; }
done

if command -v docker-registry >/dev/null || command -v registry >/dev/null || [ -n "${PIPELINE_REGISTRY:-}" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "error: no OCI registry found. Install the 'registry' binary of github.com/distribution/distribution," >&2
  echo "       or give an existing registry with PIPELINE_REGISTRY=host:port." >&2
  exit 1
fi
sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"
echo "installing the CNCF Distribution registry (apt-get install docker-registry)..."
$sudo_cmd apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
# Debian's package may start its own registry service on :5000; the local stack runs its own.
if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
  $sudo_cmd systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
