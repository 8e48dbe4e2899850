#!/usr/bin/env bash
# Where the CPU of the demo goes, per thread, under the same closed-loop wrk load as the overhead
# harness: the demo with an agent jar (or none), a warm-up, then a measured window over which each
# thread's utime + stime is read from /proc/<pid>/task/*/stat. Threads are grouped by name with
# their numbers folded (http-nio-…-exec-3 → http-nio-…-exec-N). Optionally a JFR recording of the
# same window (profile settings) to read the hot frames from.
#
#   benchmarks/overhead/threads.sh [--agent JAR|none] [--page fast|mix] [--warmup 30] [--duration 20]
#                                  [--jfr FILE] [--vigil-option name=value]...
#
# Needs wrk and the demo built (examples/demo/target/vigil-demo.jar). Traces go to a discarding
# OTLP receiver started on 127.0.0.1 (the JMH benchmarks' receiver from benchmarks.jar).
set -euo pipefail
cd "$(dirname "$0")/../.."

agent=agent/target/vigil-agent.jar
page=fast
warmup=30
duration=20
jfr=
options=()
while [ $# -gt 0 ]; do
  case "$1" in
    --agent) agent=$2; shift ;;
    --page) page=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --duration) duration=$2; shift ;;
    --jfr) jfr=$2; shift ;;
    --vigil-option) options+=("-Dvigil.$2"); shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

work=$(mktemp -d)
trap 'kill $app_pid $sink_pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
sink_port=$((port + 1))
metrics_port=$((port + 2))

java -Xmx128m -XX:TieredStopAtLevel=1 -cp benchmarks/target/benchmarks.jar \
  io.vigil.benchmarks.export.DiscardingOtlpReceiver "$sink_port" >"$work/sink.log" 2>&1 &
sink_pid=$!

jvm=(-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseG1GC)
if [ "$agent" != none ]; then
  jvm+=("-javaagent:$agent" -Dvigil.service.name=vigil-demo -Dvigil.prometheus.host=127.0.0.1
    "-Dvigil.prometheus.port=$metrics_port" "-Dvigil.otlp.endpoint=http://127.0.0.1:$sink_port" "${options[@]}")
fi
java "${jvm[@]}" -jar examples/demo/target/vigil-demo.jar "--port=$port" >"$work/app.log" 2>&1 &
app_pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done

# The harness's own pages (RequestMix), so both measure the same requests.
java -cp benchmarks/target/benchmarks.jar io.vigil.benchmarks.overhead.RequestMix "$page" >"$work/page.lua"

wrk -t1 -c8 -d"${warmup}s" -s "$work/page.lua" "http://127.0.0.1:$port/" >/dev/null

snapshot() {
  for task in /proc/$app_pid/task/*; do
    # A thread may end between listing and reading (Tomcat's pool, JFR's helpers): skipped.
    name=$(tr ' ' '_' 2>/dev/null <"$task/comm") || continue
    stat=$(cat "$task/stat" 2>/dev/null) || continue
    # Fields after the command name: utime and stime are the 12th and 13th.
    read -r -a f <<<"${stat##*) }"
    echo "$(basename "$task") $name $(( f[11] + f[12] ))"
  done
}
if [ -n "$jfr" ]; then
  jcmd "$app_pid" JFR.start name=threads settings=profile filename="$(realpath -m "$jfr")" >/dev/null
fi
snapshot | LC_ALL=C sort >"$work/before"
out=$(wrk -t1 -c8 -d"${duration}s" -s "$work/page.lua" "http://127.0.0.1:$port/")
snapshot | LC_ALL=C sort >"$work/after"
if [ -n "$jfr" ]; then
  jcmd "$app_pid" JFR.stop name=threads >/dev/null
fi
requests=$(awk '/requests in/ {print $1}' <<<"$out")
echo "$out" | grep -E "Requests/sec|requests in"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hz=$(getconf CLK_TCK)
LC_ALL=C join "$work/before" "$work/after" -a2 | awk -v hz="$hz" -v n="$requests" '
  { t = (NF == 5 ? $5 - $3 : $3); name = $2; gsub(/[0-9]+/, "N", name); cpu[name] += t; total += t }
  END {
    for (k in cpu) if (cpu[k] > 0) printf "%-40s %8.1f µs/req %5.1f %%\n", k, cpu[k] * 1e6 / hz / n, 100 * cpu[k] / total
    printf "%-40s %8.1f µs/req\n", "all threads", total * 1e6 / hz / n
  }' | sort -k2 -n -r
