#!/usr/bin/env bash
# Overhead of the agents on a real web application: the demo (embedded Tomcat, HikariCP, H2) run
# without an agent (a), with Vigil (b) and with the OpenTelemetry Java agent (c), alternating
# a, b, c, a, b, c, … under the same closed-loop wrk load. Prints a Markdown report and writes it,
# with the raw runs, to benchmarks/overhead/results/latest.md and latest-runs.csv.
#
#   benchmarks/overhead/run.sh [--repeats 3] [--warmup 15s] [--duration 30s] [--quick] [--no-build]
#                              [--connections 8] [--threads 1] [--heap 512m] [--results DIR]
#                              [--otel-agent JAR] [--page mix|fast] [--vigil-before JAR]
#                              [--vigil-option name=value]...
#
#   --quick       1 repeat, 3 s warm-up, 5 s load: proves the harness works, its figures mean
#                 nothing; writes to benchmarks/overhead/target/quick-results unless --results
#   --no-build    use the jars as built (agent, demo, benchmarks)
#   --otel-agent  an OpenTelemetry Java agent jar to use instead of fetching one
#   --page        mix (default: the demo's 20-request mix) or fast (GET /name/{1..5}: one SELECT
#                 by primary key and one log line per request)
#   --vigil-before  also run (d) Vigil from this jar, alternating with the others (before/after)
#   --vigil-option  also run (e) Vigil with -Dvigil.name=value (repeatable)
#
# Needs Linux (/proc), a JDK (jcmd), wrk (installed with apt-get when missing) and, unless
# --otel-agent is given, Maven Central for io.opentelemetry.javaagent:opentelemetry-javaagent.
# Stop other work on the machine while it runs: the load generator and the application share
# the cores, so anything else running skews the comparison.
set -euo pipefail

cd "$(dirname "$0")/../.."

command="benchmarks/overhead/run.sh${*:+ $*}"
otel_version=${OTEL_AGENT_VERSION:-2.33.1}
build=true
otel_agent=
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=false ;;
    --otel-agent) otel_agent=$2; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --quick) args+=("$1") ;;
    --repeats|--warmup|--duration|--connections|--threads|--heap|--results|--java|--page|--vigil-before|--vigil-option)
      args+=("$1" "$2"); shift ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if ! command -v wrk >/dev/null; then
  echo "installing wrk" >&2
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -q wrk >&2 || { $sudo apt-get update -q >&2 && $sudo apt-get install -y -q wrk >&2; }
fi

if $build; then
  ./mvnw -B -q -DskipTests package -pl agent,examples/demo,benchmarks -am >&2
fi

if [ -z "$otel_agent" ]; then
  otel_agent=benchmarks/overhead/target/opentelemetry-javaagent-$otel_version.jar
  if [ ! -f "$otel_agent" ]; then
    echo "fetching io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version" >&2
    ./mvnw -N -B -q dependency:copy \
      -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version" \
      -DoutputDirectory=benchmarks/overhead/target >&2
  fi
fi

# The harness itself stays small and cheap (it shares the cores with what it measures).
exec java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp benchmarks/target/benchmarks.jar io.vigil.benchmarks.overhead.OverheadHarness \
  --otel-agent "$otel_agent" --command "$command" "${args[@]}"
