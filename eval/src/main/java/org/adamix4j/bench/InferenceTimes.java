package org.adamix4j.bench;

import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference timings of one model in one runtime: latency of single sequences (batch 1 × L) and the
 * time of whole batches (B × L), each repeated after warm-up.
 *
 * @param runtime      "adamix4j", "onnxruntime" (the original ONNX file), {@value #EXPORTED} (the served
 *                     model exported to ONNX with {@code OnnxExport}, run by ONNX Runtime) or {@value #PAIRED}
 *                     (the original file, timed alternately with that export in the same process)
 * @param what         the method whose served model ran, or "base" for the plain encoder
 * @param merged       true if the method was merged into a plain model first
 * @param length       L
 * @param batch        B of the throughput runs
 * @param latency      seconds per single-sequence forward
 * @param batchSeconds seconds per B-sequence forward
 */
public record InferenceTimes(String runtime, String what, boolean merged, int length, int batch, List<Double> latency,
                             List<Double> batchSeconds) {
    /** The runtime label of an AdaMix4j model exported to ONNX and run by ONNX Runtime. */
    public static final String EXPORTED = "onnxruntime-export";
    /** The original ONNX file in ONNX Runtime, timed alternately with an {@link #EXPORTED} model in its process. */
    public static final String PAIRED = "onnxruntime-paired";

    public InferenceTimes {
        if (latency == null || latency.isEmpty() || batchSeconds == null || batchSeconds.isEmpty()) {
            throw new IllegalArgumentException(runtime + " " + what + ": inference needs at least one timed repetition");
        }
        latency = List.copyOf(latency);
        batchSeconds = List.copyOf(batchSeconds);
    }

    /** Sequences per second at batch B (from the median batch time). */
    public double throughput() {
        return batch / Stats.of(batchSeconds).median();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runtime", runtime);
        m.put("what", what);
        m.put("merged", merged);
        m.put("length", length);
        m.put("batch", batch);
        m.put("latency_seconds", latency);
        m.put("latency_median_seconds", Stats.of(latency).median());
        m.put("batch_seconds", batchSeconds);
        m.put("batch_median_seconds", Stats.of(batchSeconds).median());
        m.put("throughput_sequences_per_second", throughput());
        return m;
    }

    static InferenceTimes fromJson(JsonNode j, String source) {
        if (j == null || !j.isObject() || !j.has("latency_seconds") || !j.has("batch_seconds")) {
            throw new IllegalArgumentException(source + ": expected inference timings with latency_seconds and batch_seconds");
        }
        return new InferenceTimes(j.path("runtime").asText(), j.path("what").asText(), j.path("merged").asBoolean(),
                j.path("length").asInt(), j.path("batch").asInt(), doubles(j.get("latency_seconds")),
                doubles(j.get("batch_seconds")));
    }

    private static List<Double> doubles(JsonNode a) {
        List<Double> out = new ArrayList<>();
        for (JsonNode x : a) out.add(x.asDouble());
        return out;
    }
}
