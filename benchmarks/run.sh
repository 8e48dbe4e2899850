#!/usr/bin/env bash
# Runs every JMH benchmark (or those matching a regex) and prints a Markdown table of the cost
# per operation and the bytes allocated per operation (JMH's GC profiler, gc.alloc.rate.norm).
#
#   benchmarks/run.sh [--no-build] [--quick] [regex ...]
#
#   --no-build  use benchmarks/target/benchmarks.jar as it is
#   --quick     a very short run to check that everything works; its figures mean little
#   regex       JMH's benchmark selection, e.g. ServletRequest or 'Jdbc.*plainCacheHit'
#
# Default: 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement, average time in ns/op, -prof gc.
# JMH's own progress goes to stderr; stdout is only the table (with a header line naming the date,
# the machine and the command), so `benchmarks/run.sh > results.md` keeps just the results.
# The raw JSON result is left in benchmarks/target/jmh-result.json.
set -euo pipefail

cd "$(dirname "$0")/.."

build=true
timing=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
patterns=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    --quick) timing=(-f 1 -wi 1 -w 200ms -i 2 -r 200ms) ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
    *) patterns+=("$arg") ;;
  esac
done

jar=benchmarks/target/benchmarks.jar
result=benchmarks/target/jmh-result.json
java=${JAVA:-java}

if $build; then
  ./mvnw -B -q -DskipTests package -pl benchmarks -am >&2
fi
if [[ ! -f $jar ]]; then
  echo "$jar is missing: run without --no-build" >&2
  exit 1
fi

rm -f "$result"
"$java" -jar "$jar" "${timing[@]}" -bm avgt -tu ns -prof gc -rf json -rff "$result" ${patterns[@]+"${patterns[@]}"} >&2

java_version=$("$java" -version 2>&1 | head -n 1)
echo "JMH results, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(uname -m)), ${java_version}, command: \`benchmarks/run.sh${*:+ $*}\`"
echo
"$java" -cp "$jar" io.vigil.benchmarks.ResultTable "$result"
