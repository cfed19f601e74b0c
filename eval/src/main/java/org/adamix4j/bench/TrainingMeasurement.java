package org.adamix4j.bench;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one runtime measured for one method's training: per-step times after warm-up, memory, and
 * optionally the merged model's inference. The Java child ({@link BenchChild}) and the PyTorch peer
 * ({@code eval/bench/peer/adamix_peer.py}) write the same JSON, so one parser reads both.
 *
 * @param runtime             "adamix4j" or "pytorch"
 * @param method              the method name (see {@link BenchMethods})
 * @param batch               B
 * @param length              L
 * @param warmup              steps run before timing
 * @param stepSeconds         wall time of each timed step (forward, backward, clipping, AdamW)
 * @param peakRssMb           the process's peak resident set (VmHWM) after the timed steps, MB
 * @param rssAfterLoadMb      resident set once the model was built, before the first step, MB
 * @param trainableParameters parameters the optimiser updates
 * @param rssSeries           (timed step, VmRSS MB) pairs, if recorded
 * @param inference           inference timings of the served (merged) model: in SameDiff, then exported to ONNX
 *                            and run by ONNX Runtime; empty for the PyTorch peer
 */
public record TrainingMeasurement(String runtime, String method, int batch, int length, int warmup,
                                  List<Double> stepSeconds, double peakRssMb, double rssAfterLoadMb,
                                  long trainableParameters, List<double[]> rssSeries, List<InferenceTimes> inference) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public TrainingMeasurement {
        if (stepSeconds == null || stepSeconds.isEmpty()) {
            throw new IllegalArgumentException(runtime + " " + method + ": no timed steps");
        }
        stepSeconds = List.copyOf(stepSeconds);
        rssSeries = rssSeries == null ? List.of() : List.copyOf(rssSeries);
        inference = inference == null ? List.of() : List.copyOf(inference);
    }

    public Stats steps() {
        return Stats.of(stepSeconds);
    }

    /**
     * Parses a measurement; {@code source} names where the text came from in error messages. Required:
     * method, batch, length, step_seconds (a non-empty array of positive numbers), peak_rss_mb.
     */
    public static TrainingMeasurement parse(String json, String source) {
        JsonNode j;
        try {
            j = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(source + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (j == null || !j.isObject()) throw new IllegalArgumentException(source + ": expected a JSON object");
        for (String k : List.of("method", "batch", "length", "step_seconds", "peak_rss_mb")) {
            if (!j.has(k)) throw new IllegalArgumentException(source + ": missing field '" + k + "'");
        }
        JsonNode steps = j.get("step_seconds");
        if (!steps.isArray() || steps.isEmpty()) {
            throw new IllegalArgumentException(source + ": 'step_seconds' must be a non-empty array of seconds");
        }
        List<Double> times = new ArrayList<>();
        for (JsonNode t : steps) {
            if (!t.isNumber() || !(t.asDouble() > 0)) {
                throw new IllegalArgumentException(source + ": 'step_seconds' holds " + t + ", expected positive numbers");
            }
            times.add(t.asDouble());
        }
        List<double[]> series = new ArrayList<>();
        for (JsonNode p : j.path("rss_series")) series.add(new double[]{p.get(0).asDouble(), p.get(1).asDouble()});
        List<InferenceTimes> inference = new ArrayList<>();
        JsonNode inf = j.path("inference");
        // One object in files written before the ONNX export was timed too; an array since.
        if (inf.isObject()) inference.add(InferenceTimes.fromJson(inf, source + " inference"));
        for (JsonNode i : inf.isArray() ? inf : List.<JsonNode>of()) inference.add(InferenceTimes.fromJson(i, source + " inference"));
        return new TrainingMeasurement(j.path("peer").asText(j.path("runtime").asText("unknown")), j.get("method").asText(),
                j.get("batch").asInt(), j.get("length").asInt(), j.path("warmup").asInt(), times,
                j.get("peak_rss_mb").asDouble(), j.path("rss_after_load_mb").asDouble(Double.NaN),
                j.path("trainable_parameters").asLong(), series, inference);
    }

    /** The JSON form {@link #parse} reads. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runtime", runtime);
        m.put("method", method);
        m.put("batch", batch);
        m.put("length", length);
        m.put("warmup", warmup);
        m.put("steps", stepSeconds.size());
        m.put("step_seconds", stepSeconds);
        m.put("step_median_seconds", steps().median());
        m.put("step_p25_seconds", steps().p25());
        m.put("step_p75_seconds", steps().p75());
        m.put("peak_rss_mb", peakRssMb);
        m.put("rss_after_load_mb", rssAfterLoadMb);
        m.put("trainable_parameters", trainableParameters);
        m.put("rss_series", rssSeries);
        if (!inference.isEmpty()) m.put("inference", inference.stream().map(InferenceTimes::toJson).toList());
        return m;
    }
}
