#!/usr/bin/env bash
# Start-up time and resident memory the agent adds to a trivial main.
#
#   benchmarks/startup/measure.sh [runs] [java]
#
# Runs the trivial main alternately without and with the agent (after one warm-up run of each, so
# the page cache is warm for both) and prints the median wall time from exec to exit, and the
# median resident set size the program reads from /proc/self/status as its last act.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-11}
java=${2:-java}
jar=agent/target/vigil-agent.jar
[ -f "$jar" ] || { echo "build the agent first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(dirname "$(readlink -f "$(command -v "$java")")")/javac" -d "$work" benchmarks/startup/Trivial.java
port=$((20000 + RANDOM % 20000))

run() { # label, extra args...
  local start end rss
  start=$(date +%s%N)
  rss=$("$java" "${@:2}" -cp "$work" Trivial 2>/dev/null | awk '/rss_kb/ {print $2}')
  end=$(date +%s%N)
  echo "$1 $(( (end - start) / 1000000 )) $rss"
}
agent=(-javaagent:"$jar" -Dvigil.prometheus.port=$port -Dvigil.otlp.endpoint=http://127.0.0.1:9)
run warmup >/dev/null; run warmup "${agent[@]}" >/dev/null
for _ in $(seq "$runs"); do
  run without
  run with "${agent[@]}"
done > "$work/results"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for label in without with; do
  ms=$(awk -v l=$label '$1==l {print $2}' "$work/results" | median)
  kb=$(awk -v l=$label '$1==l {print $3}' "$work/results" | median)
  printf '%-8s median wall %5d ms   median RSS %6.1f MiB\n' "$label" "$ms" "$(echo "$kb / 1024" | bc -l)"
  eval "${label}_ms=$ms ${label}_kb=$kb"
done
printf 'added    %5d ms                 %6.1f MiB   (%s runs each, %s)\n' \
  $((with_ms - without_ms)) "$(echo "($with_kb - $without_kb) / 1024" | bc -l)" "$runs" "$("$java" -version 2>&1 | head -1)"
