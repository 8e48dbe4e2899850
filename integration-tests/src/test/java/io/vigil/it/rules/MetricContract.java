package io.vigil.it.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The series a dashboard or rule may use: the telemetry table of DESIGN.md, the JVM and process
 * series of simpleclient_hotspot 0.16 as the agent registers them, Prometheus' {@code up}, and the
 * recording rules defined in {@code alerts/vigil-rules.yml}. Change this together with DESIGN.md.
 */
final class MetricContract {

    /** Histograms: each exposes {@code _bucket{le}}, {@code _sum} and {@code _count}. */
    static final Set<String> HISTOGRAMS = Set.of(
            "http_server_request_duration_seconds",
            "db_client_operation_duration_seconds",
            "db_client_connection_wait_time_seconds",
            "db_client_connection_use_time_seconds",
            "db_client_connection_create_time_seconds");

    /** Gauges and counters (counters with their {@code _total}) of the telemetry table. */
    static final Set<String> SAMPLES = Set.of(
            "http_server_active_requests",
            "db_client_connection_count",
            "db_client_connection_max",
            "db_client_connection_idle_min",
            "db_client_connection_pending_requests",
            "db_client_connection_timeouts_total",
            "vigil_exceptions_total",
            "vigil_agent_info",
            "vigil_agent_spans_exported_total",
            "vigil_agent_spans_dropped_total",
            "vigil_agent_export_failures_total",
            "vigil_agent_route_overflow_total",
            "vigil_agent_label_overflow_total",
            "vigil_agent_instrumentation_errors_total");

    /** simpleclient_hotspot 0.16 (DefaultExports) as exposed on the agent's /metrics. */
    static final Set<String> HOTSPOT = Set.of(
            "process_cpu_seconds_total", "process_start_time_seconds", "process_open_fds", "process_max_fds",
            "process_virtual_memory_bytes", "process_resident_memory_bytes",
            "jvm_memory_objects_pending_finalization",
            "jvm_memory_bytes_used", "jvm_memory_bytes_committed", "jvm_memory_bytes_max", "jvm_memory_bytes_init",
            "jvm_memory_pool_bytes_used", "jvm_memory_pool_bytes_committed", "jvm_memory_pool_bytes_max",
            "jvm_memory_pool_bytes_init",
            "jvm_memory_pool_collection_used_bytes", "jvm_memory_pool_collection_committed_bytes",
            "jvm_memory_pool_collection_max_bytes", "jvm_memory_pool_collection_init_bytes",
            "jvm_memory_pool_allocated_bytes_total",
            "jvm_buffer_pool_used_bytes", "jvm_buffer_pool_capacity_bytes", "jvm_buffer_pool_used_buffers",
            "jvm_gc_collection_seconds_count", "jvm_gc_collection_seconds_sum",
            "jvm_threads_current", "jvm_threads_daemon", "jvm_threads_peak", "jvm_threads_started_total",
            "jvm_threads_deadlocked", "jvm_threads_deadlocked_monitor", "jvm_threads_state",
            "jvm_classes_currently_loaded", "jvm_classes_loaded_total", "jvm_classes_unloaded_total",
            "jvm_info");

    /** Label names of the contract, of hotspot's series, and the ones Prometheus adds. */
    static final Set<String> LABELS = Set.of(
            // contract
            "http_request_method", "http_route", "http_response_status_code", "error_type",
            "db_system_name", "db_operation_name", "db_collection_name",
            "db_client_connection_pool_name", "db_client_connection_state",
            "exception_type", "source", "version", "service_name", "instrumentation", "label",
            // simpleclient_hotspot
            "area", "pool", "gc", "state", "runtime", "vendor",
            // histograms and Prometheus target labels
            "le", "job", "instance");

    private MetricContract() {
    }

    /** Contract + hotspot + {@code up}: what the agent and Prometheus themselves produce. */
    static Set<String> rawMetrics() {
        Set<String> names = new TreeSet<>(SAMPLES);
        for (String h : HISTOGRAMS) {
            names.add(h + "_bucket");
            names.add(h + "_sum");
            names.add(h + "_count");
        }
        names.addAll(HOTSPOT);
        names.add("up");
        return Collections.unmodifiableSet(names);
    }

    /** Raw metrics plus every recording rule of alerts/vigil-rules.yml. */
    static Set<String> knownMetrics() {
        Set<String> names = new TreeSet<>(rawMetrics());
        for (Map<String, Object> rule : Rules.load().recordingRules()) {
            names.add(MiniYaml.string(rule.get("record")));
        }
        return names;
    }

    /** The parsed alerts/vigil-rules.yml. */
    record Rules(List<Map<String, Object>> alerts, List<Map<String, Object>> recordingRules) {

        private static Rules loaded;

        static synchronized Rules load() {
            if (loaded == null) {
                Path file = RepoRoot.resolve("alerts/vigil-rules.yml");
                Object root = MiniYaml.parse(read(file), file.toString());
                List<Map<String, Object>> alerts = new ArrayList<>();
                List<Map<String, Object>> records = new ArrayList<>();
                for (Object group : MiniYaml.list(MiniYaml.map(root).get("groups"))) {
                    for (Object r : MiniYaml.list(MiniYaml.map(group).get("rules"))) {
                        Map<String, Object> rule = new LinkedHashMap<>(MiniYaml.map(r));
                        rule.put("_group", MiniYaml.map(group).get("name"));
                        (rule.containsKey("alert") ? alerts : records).add(rule);
                    }
                }
                loaded = new Rules(List.copyOf(alerts), List.copyOf(records));
            }
            return loaded;
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
