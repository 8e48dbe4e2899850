#!/usr/bin/env bash
# Time to the first HTTP 200 (and, for the trivial main, to exit) without an agent and with one
# or more agent jars, runs alternating (none, jar 1, jar 2, …, none, jar 1, …) so that whatever
# else the machine does spreads over every configuration alike.
#
#   benchmarks/startup/first-200.sh [--runs 5] [--apps springboot,demo,trivial] [--agent JAR]...
#                                   [--otel] [--java JAVA] [--no-build] [--results DIR]
#
#   --agent JAR  an agent jar to compare (repeatable; default agent/target/vigil-agent.jar), e.g.
#                a jar built from an earlier commit beside the current one
#   --otel       also run the OpenTelemetry Java agent (fetched from Maven Central with
#                ./mvnw dependency:copy into benchmarks/overhead/target/, as the overhead harness does)
#   --no-build   use the jars as built
#
# The apps: springboot (benchmarks/springboot-app: Spring MVC, Spring Data JPA/Hibernate,
# Thymeleaf, validation, Actuator, H2; GET /), demo (examples/demo: Tomcat, HikariCP, H2; GET /),
# trivial (benchmarks/startup/Trivial.java: exec to exit). Time runs from just before the JVM is
# started to the first 200 answer, polled every 20 ms with curl. Every JVM gets the same flags;
# an agent gets its metrics port and a trace endpoint where nothing listens (export fails quietly).
# Prints median (min–max) per app and configuration and the added time per round (agent minus the
# no-agent run of the same round), with `uptime`'s load averages before and after; for the web
# apps also the CPU time the JVM used to its first 200 (utime + stime of all its threads, from
# /proc), which other work on the machine disturbs far less than wall time. The raw runs go to
# DIR/first-200-runs.csv (default benchmarks/startup/target).
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=5
apps=springboot,demo,trivial
agents=()
otel=false
java=java
build=true
results=benchmarks/startup/target
otel_version=${OTEL_AGENT_VERSION:-2.33.1}
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --apps) apps=$2; shift ;;
    --agent) agents+=("$2"); shift ;;
    --otel) otel=true ;;
    --java) java=$2; shift ;;
    --no-build) build=false ;;
    --results) results=$2; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#agents[@]} -gt 0 ] || agents=(agent/target/vigil-agent.jar)

if $build; then
  ./mvnw -B -q -DskipTests package -pl agent,examples/demo -am >&2
  case ",$apps," in *,springboot,*) ./mvnw -B -q -DskipTests package -f benchmarks/springboot-app/pom.xml >&2 ;; esac
fi
configs=(none "${agents[@]}")
if $otel; then
  otel_agent=benchmarks/overhead/target/opentelemetry-javaagent-$otel_version.jar
  if [ ! -f "$otel_agent" ]; then
    ./mvnw -N -B -q dependency:copy -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version" \
      -DoutputDirectory=benchmarks/overhead/target >&2
  fi
  configs+=("$otel_agent")
fi

mkdir -p "$results"
csv=$results/first-200-runs.csv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(dirname "$(readlink -f "$(command -v "$java")")")/javac" -d "$work" benchmarks/startup/Trivial.java

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

agent_flags() { # config
  case "$1" in
    none) ;;
    *opentelemetry-javaagent*)
      echo "-javaagent:$1 -Dotel.traces.exporter=otlp -Dotel.exporter.otlp.protocol=http/protobuf"
      echo "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:9 -Dotel.metrics.exporter=prometheus"
      echo "-Dotel.exporter.prometheus.port=$(free_port) -Dotel.logs.exporter=none" ;;
    *) echo "-javaagent:$1 -Dvigil.prometheus.port=$(free_port) -Dvigil.otlp.endpoint=http://127.0.0.1:9" ;;
  esac
}

run_once() { # app config -> milliseconds
  local app=$1 config=$2 port start pid ms=-1 cpu=-1
  # shellcheck disable=SC2046
  local flags=($(agent_flags "$config"))
  port=$(free_port)
  start=$(date +%s%N)
  case "$app" in
    trivial)
      "$java" "${flags[@]}" -cp "$work" Trivial >/dev/null 2>&1
      echo "$(( ($(date +%s%N) - start) / 1000000 )),"
      return ;;
    demo) "$java" "${flags[@]}" -jar examples/demo/target/vigil-demo.jar --port="$port" >"$work/out" 2>&1 & ;;
    springboot) "$java" "${flags[@]}" -jar benchmarks/springboot-app/target/springboot-app.jar \
      --server.port="$port" >"$work/out" 2>&1 & ;;
  esac
  pid=$!
  for _ in $(seq 9000); do
    if curl -sf -o /dev/null "http://127.0.0.1:$port/"; then
      ms=$(( ($(date +%s%N) - start) / 1000000 ))
      # CPU the JVM used to get there (all its threads): steadier than wall time on a busy machine.
      cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  [ "$ms" -ge 0 ] || { echo "$app with $config never answered 200:" >&2; tail -20 "$work/out" >&2; }
  echo "$ms,$cpu"
}

load_before=$(uptime)
echo "app,config,round,ms,cpu_ms" > "$csv"
IFS=, read -r -a app_list <<< "$apps"
for app in "${app_list[@]}"; do
  # One unrecorded run of each first, so the page cache is warm for all alike.
  for config in "${configs[@]}"; do run_once "$app" "$config" >/dev/null; done
  for round in $(seq "$runs"); do
    for config in "${configs[@]}"; do
      echo "$app,$config,$round,$(run_once "$app" "$config")" >> "$csv"
    done
  done
done
load_after=$(uptime)

python3 - "$csv" <<'PY'
import csv, sys, statistics
rows = list(csv.DictReader(open(sys.argv[1])))
def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) // 2
def fmt(values, sign=""):
    values = sorted(values)
    s = lambda v: ("+" if sign and v >= 0 else "") + str(v)
    return "%s (%s – %s)" % (s(median(values)), s(values[0]), s(values[-1]))
apps = list(dict.fromkeys(r["app"] for r in rows))
configs = list(dict.fromkeys(r["config"] for r in rows))
print("| app | configuration | ms to first 200 (trivial: to exit), median (min – max) | added, per round | CPU ms to first 200 | CPU added, per round |")
print("|---|---|---|---|---|---|")
def column(app, config, key):
    return {r["round"]: int(r[key]) for r in rows if r["app"] == app and r["config"] == config and r[key] not in ("", "-1")}
for app in apps:
    for config in configs:
        cells = []
        for key in ("ms", "cpu_ms"):
            base, mine = column(app, "none", key), column(app, config, key)
            if not mine:
                cells += ["", ""]
                continue
            added = "" if config == "none" else fmt([mine[k] - base[k] for k in mine if k in base], "+")
            cells += [fmt(mine.values()), added]
        if any(cells):
            print("| %s | %s | %s |" % (app, config, " | ".join(cells)))
PY
echo
echo "runs per configuration: $runs; java: $("$java" -version 2>&1 | head -1)"
echo "load before: $load_before"
echo "load after:  $load_after"
