#!/usr/bin/env bash
# Linkwell next to Baileys, both inside the service (BENCHMARKS.md): builds the service, the Baileys host and the
# harness, starts the simulator, then for each engine a service of its own, and prints the figures.
#   bench/side-by-side.sh                      the issue's whole plan, to 5,000 sessions (hours on 2 cores)
#   bench/side-by-side.sh --engines native --simulator-jvm-opts -Xmx12g --out DIR
#                                              the native figures of BENCHMARKS.md (its plan, one engine: 1 hour)
#   bench/side-by-side.sh --engines baileys --traffic-sessions 100 --service-env BAILEYS_MAX_HEAP=8GB \
#       --simulator-jvm-opts -Xmx10g --out DIR
#                                              the same plan for Baileys, traffic on 100 sessions (50 minutes;
#                                              BENCHMARKS.md lists every run; --profile-host DIR profiles its host)
#   taskset -c 0 bench/side-by-side.sh --service-cpus 1 --simulator in-process --sizes 0,100 --qr-sessions 100 \
#       --restarts "" --traffic-sessions 100 --rates 100,200,400,800,1200,1600,2400,3200,4800 --out DIR
#                                              throughput limits with one core for the service, one for the load
#                                              (the harness and the simulator in it): BENCHMARKS.md, one core each
#   bench/side-by-side.sh --smoke              every step with 2 sessions per engine (what the test suite runs)
#   bench/side-by-side.sh --help               every option
set -euo pipefail
cd "$(dirname "$0")/.."

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
java="${JAVA_HOME:+$JAVA_HOME/bin/java}"
if [ -z "$java" ] || [ "$(java_major "$java" 2>/dev/null || echo 0)" -lt 21 ]; then
  java=""
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ]; then
      java="$candidate/bin/java"
      break
    fi
  done
fi
[ -n "$java" ] || { echo "no JDK 21+ found; set JAVA_HOME" >&2; exit 1; }

./mvnw -B -q -Pbench -DskipTests package
exec "$java" -cp bench/target/benchmarks.jar dev.linkwell.bench.service.SideBySide "$@"
