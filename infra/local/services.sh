#!/usr/bin/env bash
# Starts, stops or reports the four pipeline services as separate processes on loopback, pointed at
# the local stack through $PIPELINE_STATE_DIR/stack.env. Logs and pids live beside the stack's.
# The services' API tokens live in $PIPELINE_STATE_DIR/secrets.env (made once, readable by you only).
#   infra/local/services.sh start|stop|status
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state=${PIPELINE_STATE_DIR:-$root/.pipeline}
services=(build:8081 test:8082 promote:8083 rollback:8084)

running_pid() {
  local pidfile="$state/$1.pid"
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && cat "$pidfile"
}

ready() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/q/health/ready" 2>/dev/null; }

build_if_needed() {
  local stale=""
  for entry in "${services[@]}"; do
    local name=${entry%%:*} jar="$root/services/${entry%%:*}/target/quarkus-app/quarkus-run.jar"
    if [ ! -f "$jar" ] || [ -n "$(find "$root/services/$name/src/main" "$root/contracts/src/main" "$root/libs" -path '*/target' -prune -o -newer "$jar" -print -quit)" ]; then
      stale=1
    fi
  done
  if [ -n "$stale" ]; then
    # With each service's AppCDS archive (class data prepared at build time): a service is ready in less than half
    # the time on a busy machine. See BENCHMARKS.md.
    echo "building the services (mvn package -DskipTests, with their AppCDS archives)..."
    (cd "$root" && mvn -q -B -DskipTests -Dquarkus.package.jar.appcds.enabled=true package)
  fi
}

token() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }

# The bearer tokens the local stack's callers present, one per caller and service API, and their roles
# (docs/security.md): "local" (the demo, people with curl) is admin, "viewer" may only read.
# BUILD_API_TOKENS_LOCAL is build.api-tokens.local, BUILD_API_ROLES_LOCAL build.api-roles.local, and so on.
# Made once, so a restart keeps them; never printed.
ensure_secrets() {
  local file="$state/secrets.env" service caller role
  (
    umask 077
    [ -f "$file" ] || echo "# API tokens of the local stack, made by infra/local/services.sh; keep them out of logs and commits." >"$file"
    # A token or role added in a later version is appended; existing ones are kept.
    for service in BUILD TEST PROMOTE ROLLBACK; do
      for caller in LOCAL:admin VIEWER:viewer; do
        role=${caller#*:} caller=${caller%%:*}
        grep -q "^${service}_API_TOKENS_$caller=" "$file" || echo "${service}_API_TOKENS_$caller='$(token)'" >>"$file"
        grep -q "^${service}_API_ROLES_$caller=" "$file" || echo "${service}_API_ROLES_$caller=$role" >>"$file"
      done
    done
    # The dashboard forwards manual rollbacks to the rollback service with a token of its own there.
    if ! grep -q "^ROLLBACK_API_TOKENS_DASHBOARD=" "$file"; then
      local dashboard
      dashboard=$(token)
      echo "ROLLBACK_API_TOKENS_DASHBOARD='$dashboard'" >>"$file"
      echo "PROMOTE_ROLLBACK_TOKEN='$dashboard'" >>"$file"
    fi
    grep -q "^ROLLBACK_API_ROLES_DASHBOARD=" "$file" || echo "ROLLBACK_API_ROLES_DASHBOARD=operator" >>"$file"
  )
  chmod 600 "$file"
}

# A fingerprint of the settings the services read from the environment (values never shown): a running service keeps
# the environment it started with, so start says so when this changed since.
env_hash() {
  env | grep -E '^(BUILD|TEST|PROMOTE|ROLLBACK|PIPELINE|QUARKUS|KAFKA)_' | LC_ALL=C sort | sha256sum | cut -c1-16
}

# A start that fails stops what it started, so nothing is left half-running.
abort_start() {
  echo "error: $1" >&2
  stop >/dev/null
  exit 1
}

start() {
  [ -f "$state/stack.env" ] || { echo "error: start the stack first (infra/local/stack.sh start)" >&2; exit 1; }
  build_if_needed
  ensure_secrets
  set -a; . "$state/stack.env"; . "$state/secrets.env"; set +a
  mkdir -p "$state/logs"
  for entry in "${services[@]}"; do
    local name=${entry%%:*} port=${entry##*:}
    if running_pid "$name" >/dev/null; then
      echo "$(printf '%-9s' "$name") already running on http://127.0.0.1:$port"
      if [ -f "$state/$name.env-hash" ] && [ "$(cat "$state/$name.env-hash")" != "$(env_hash)" ]; then
        echo "          it keeps the environment it started with, and a setting or secret changed since" \
          "(a *_TOKEN*, *_SECRET*, ... variable or $state/secrets.env): ./pipeline down && ./pipeline up applies it" >&2
      fi
      continue
    fi
    env_hash >"$state/$name.env-hash"
    local app="$root/services/$name/target/quarkus-app" archive=()
    # A stale archive is harmless: the JVM checks it against the jars and ignores it. The archive records the class
    # path as Quarkus packaged it, relative (quarkus-run.jar, lib/...), so the JVM starts in the app's folder.
    [ -f "$app/app-cds.jsa" ] && archive=(-XX:SharedArchiveFile=app-cds.jsa)
    (cd "$app" && MALLOC_ARENA_MAX=1 exec setsid java @"$root/infra/local/service-jvm.options" "${archive[@]}" \
      -Djava.io.tmpdir="$state/tmp" -jar quarkus-run.jar \
      >>"$state/logs/$name.log" 2>&1 </dev/null) &
    echo $! >"$state/$name.pid"
  done
  for entry in "${services[@]}"; do
    local name=${entry%%:*} port=${entry##*:} waited=0
    until ready "$port"; do
      if ! running_pid "$name" >/dev/null; then
        abort_start "$name exited during start-up; see $state/logs/$name.log"
      fi
      sleep 0.2; waited=$((waited + 1))
      [ "$waited" -lt 300 ] || abort_start "$name not ready after 60 s; see $state/logs/$name.log"
    done
    echo "$(printf '%-9s' "$name") ready on http://127.0.0.1:$port"
  done
}

stop() {
  for entry in "${services[@]}"; do
    local name=${entry%%:*} pid
    if pid=$(running_pid "$name"); then
      kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      echo "$(printf '%-9s' "$name") stopped"
    else
      echo "$(printf '%-9s' "$name") was not running"
    fi
    rm -f "$state/$name.pid" "$state/$name.env-hash"
  done
}

status() {
  local all_up=0
  for entry in "${services[@]}"; do
    local name=${entry%%:*} port=${entry##*:}
    if ready "$port"; then
      echo "$(printf '%-9s' "$name") up    http://127.0.0.1:$port"
    else
      echo "$(printf '%-9s' "$name") down  http://127.0.0.1:$port"; all_up=3
    fi
  done
  return $all_up
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
