#!/usr/bin/env bash
# Starts, stops or reports the local infrastructure: Kafka (KRaft), PostgreSQL and the OCI registry,
# all on loopback, with state and logs under $PIPELINE_STATE_DIR (default: <repo>/.pipeline).
#   infra/local/stack.sh start|stop|status [kafka|postgres|registry]...
# Running "start" twice is harmless: a part that already runs is left alone.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PIPELINE_STATE_DIR=${PIPELINE_STATE_DIR:-$root/.pipeline}
export PIPELINE_KAFKA_LIB=${PIPELINE_KAFKA_LIB:-$root/infra/local/kafka-dist/target/lib}

[ "${1:-}" = start ] && "$root/infra/local/install.sh"

# The launcher and the broker's jars are built on first use and again when the launcher changes.
classpath_file="$root/infra/local/stack/target/classpath.txt"
if [ ! -f "$classpath_file" ] || [ ! -d "$PIPELINE_KAFKA_LIB" ] \
   || [ -n "$(find "$root/infra/local/stack/src/main" "$root/infra/local/stack/pom.xml" -newer "$classpath_file" -print -quit)" ]; then
  echo "building the local stack launcher and the Kafka broker jars..."
  (cd "$root" && mvn -q -B -pl infra/local/kafka-dist,infra/local/stack -am -DskipTests package)
  touch "$classpath_file"
fi

mkdir -p "$PIPELINE_STATE_DIR/tmp"
exec java -Xmx128m -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Djava.io.tmpdir="$PIPELINE_STATE_DIR/tmp" \
  -cp "$root/infra/local/stack/target/classes:$(cat "$classpath_file")" dev.promoter.stack.LocalStack "$@"
