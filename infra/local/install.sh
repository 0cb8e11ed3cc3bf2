#!/usr/bin/env bash
# Installs the system packages the local stack needs when they are missing: the CNCF Distribution
# registry (Debian package docker-registry). With --for-tests also the real clients and servers the
# tests drive (see TEST_TOOLS below). Java 17+ and Maven 3.8+ must already be there. Safe to run again.
set -euo pipefail

for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required (Java 17+ and Maven 3.8+)" >&2; exit 1; }
done

# command:Debian package, one entry per tool the tests run for real.
TEST_TOOLS=(amtool:prometheus-alertmanager promtool:prometheus chromium:chromium chromedriver:chromium-driver)

missing=()
if ! command -v docker-registry >/dev/null && ! command -v registry >/dev/null && [ -z "${PIPELINE_REGISTRY:-}" ]; then
  missing+=(docker-registry)
fi
if [ "${1:-}" = "--for-tests" ]; then
  for entry in "${TEST_TOOLS[@]}"; do
    command -v "${entry%%:*}" >/dev/null || missing+=("${entry##*:}")
  done
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "error: missing ${missing[*]}. Install the 'registry' binary of github.com/distribution/distribution" >&2
  echo "       (or give an existing registry with PIPELINE_REGISTRY=host:port) and the listed tools." >&2
  exit 1
fi
sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"
echo "installing ${missing[*]} (apt-get install)..."
$sudo_cmd apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's packages may start their own services (a registry on :5000, Prometheus on :9090); the local stack and
# the tests run their own.
if command -v systemctl >/dev/null; then
  for unit in docker-registry prometheus prometheus-alertmanager prometheus-node-exporter; do
    if systemctl is-active --quiet "$unit" 2>/dev/null; then $sudo_cmd systemctl disable --now "$unit" >/dev/null 2>&1 || true; fi
  done
fi
