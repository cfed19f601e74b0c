package org.adamix4j.search;

import org.adamix4j.eval.train.TrainConfig;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which knobs a search varies and how: a JSON object from knob name ({@link Knob#id()}) to a range.
 *
 * <pre>{@code
 * {"method": "adamix",                               fixed value
 *  "learning_rate": {"log_uniform": [1e-4, 3e-3]},   real, uniform in log space
 *  "consistency_weight": {"uniform": [0, 2]},        real, uniform
 *  "epochs": {"int": [3, 10]},                       integer, uniform over min..max
 *  "sharing": {"choice": ["up", "down", "none"]}}    one of the listed values
 * }</pre>
 *
 * Knobs the space does not name keep the base run config's value. {@link #toArbiter()} gives the
 * Arbiter parameter space whose candidates are the knob values of one run ({@link Knob#apply} turns
 * them into its config).
 */
public final class SearchSpace {
    /** The built-in spaces, shipped as resources beside this class. */
    public static final List<String> BUILT_IN = List.of("adamix", "adamix-lora", "lora", "quick");

    /** How one knob varies. */
    public sealed interface Range permits Fixed, Uniform, LogUniform, IntRange, Choice {
        /** Arbiter's leaf space for this range; null for a fixed value (not searched). */
        ParameterSpace<?> toArbiter();

        /** The JSON form read by {@link SearchSpace#parse}. */
        Object toJson();

        /** Values worth checking against the config's validation: the ends of a range, every choice. */
        List<Object> corners();
    }

    /** The same value for every candidate. */
    public record Fixed(Object value) implements Range {
        public ParameterSpace<?> toArbiter() {
            return null;
        }

        public Object toJson() {
            return value;
        }

        public List<Object> corners() {
            return List.of(value);
        }
    }

    /** A real number uniform in [min, max]. */
    public record Uniform(double min, double max) implements Range {
        public Uniform {
            if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("uniform range needs finite min < max, got [" + min + ", " + max + "]");
            }
        }

        public ParameterSpace<?> toArbiter() {
            return new ContinuousParameterSpace(min, max);
        }

        public Object toJson() {
            return Map.of("uniform", List.of(min, max));
        }

        public List<Object> corners() {
            return List.of(min, max);
        }
    }

    /** A positive real number whose logarithm is uniform in [log min, log max] (learning rates). */
    public record LogUniform(double min, double max) implements Range {
        public LogUniform {
            if (!(min > 0 && min < max) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("log_uniform range needs 0 < min < max, got [" + min + ", " + max + "]");
            }
        }

        public ParameterSpace<?> toArbiter() {
            return new ContinuousParameterSpace(new LogUniformDistribution(min, max));
        }

        public Object toJson() {
            return Map.of("log_uniform", List.of(min, max));
        }

        public List<Object> corners() {
            return List.of(min, max);
        }
    }

    /** An integer uniform over min..max (both included). */
    public record IntRange(int min, int max) implements Range {
        public IntRange {
            if (min >= max) throw new IllegalArgumentException("int range needs min < max, got [" + min + ", " + max + "]");
        }

        public ParameterSpace<?> toArbiter() {
            return new IntegerParameterSpace(min, max);
        }

        public Object toJson() {
            return Map.of("int", List.of(min, max));
        }

        public List<Object> corners() {
            return List.of(min, max);
        }
    }

    /** One of a list of values (numbers or words), each equally likely. */
    public record Choice(List<Object> values) implements Range {
        public Choice {
            if (values == null || values.size() < 2) throw new IllegalArgumentException("choice needs at least 2 values, got " + values);
            if (values.stream().distinct().count() != values.size()) {
                throw new IllegalArgumentException("choice lists a value twice: " + values);
            }
            values = List.copyOf(values);
        }

        public ParameterSpace<?> toArbiter() {
            return new DiscreteParameterSpace<>(values);
        }

        public Object toJson() {
            return Map.of("choice", values);
        }

        public List<Object> corners() {
            return values;
        }
    }

    private final String source;
    private final Map<Knob, Range> ranges;

    /**
     * @param source  where the space came from (a built-in name, a file, "inline"), for messages and reports
     * @param ranges  knob → range, in the order the results table shows them; at least one is not fixed
     */
    public SearchSpace(String source, Map<Knob, Range> ranges) {
        if (ranges == null || ranges.values().stream().allMatch(r -> r instanceof Fixed)) {
            throw new IllegalArgumentException("search space " + source + " varies no knob: give at least one range "
                    + "(uniform, log_uniform, int or choice)");
        }
        this.source = source;
        this.ranges = Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
    }

    public String source() {
        return source;
    }

    public Map<Knob, Range> ranges() {
        return ranges;
    }

    /**
     * A space from a file path, inline JSON (starting with '{'), or a built-in name.
     *
     * @throws IllegalArgumentException naming the input and what was expected
     */
    public static SearchSpace resolve(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("--space is empty: give a JSON file, inline JSON or one of " + BUILT_IN);
        ObjectMapper json = new ObjectMapper();
        try {
            if (spec.strip().startsWith("{")) return parse(json.readTree(spec), "inline");
            Path file = Path.of(spec);
            if (Files.isRegularFile(file)) return parse(json.readTree(file.toFile()), file.toString());
            if (BUILT_IN.contains(spec)) {
                try (InputStream in = SearchSpace.class.getResourceAsStream("spaces/" + spec + ".json")) {
                    if (in == null) throw new IllegalStateException("built-in space " + spec + " is missing from the jar");
                    return parse(json.readTree(in), spec);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("search space " + spec + " is not valid JSON: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("search space '" + spec + "' is neither a file, inline JSON, nor a built-in space "
                + BUILT_IN);
    }

    /** Reads the JSON form (see the class comment); {@code source} names it in errors. */
    public static SearchSpace parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("search space " + source + " must be a JSON object");
        Map<Knob, Range> ranges = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Knob k = Knob.byId(e.getKey());
            try {
                ranges.put(k, range(k, e.getValue()));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("search space " + source + ", knob " + k.id() + ": " + x.getMessage(), x);
            }
        }
        return new SearchSpace(source, ranges);
    }

    private static Range range(Knob k, JsonNode v) {
        if (!v.isObject()) return new Fixed(value(k, v));
        if (v.size() != 1) throw new IllegalArgumentException("expected one of uniform, log_uniform, int, choice; got " + v);
        String kind = v.fieldNames().next();
        JsonNode a = v.get(kind);
        if (!a.isArray()) throw new IllegalArgumentException(kind + " needs a JSON array, got " + a);
        return switch (kind) {
            case "uniform", "log_uniform" -> {
                if (k.type() != Knob.Type.REAL) throw new IllegalArgumentException(kind + " is for real-valued knobs; use int or choice");
                double[] mm = pair(kind, a);
                yield kind.equals("uniform") ? new Uniform(mm[0], mm[1]) : new LogUniform(mm[0], mm[1]);
            }
            case "int" -> {
                if (k.type() != Knob.Type.INTEGER) throw new IllegalArgumentException("int is for integer knobs");
                if (a.size() != 2) throw new IllegalArgumentException("int needs [min, max], got " + a);
                yield new IntRange((Integer) value(k, a.get(0)), (Integer) value(k, a.get(1)));
            }
            case "choice" -> {
                List<Object> xs = new ArrayList<>();
                for (JsonNode x : a) xs.add(value(k, x));
                yield new Choice(xs);
            }
            default -> throw new IllegalArgumentException("unknown range '" + kind + "'; expected uniform, log_uniform, int or choice");
        };
    }

    private static double[] pair(String kind, JsonNode a) {
        if (a.size() != 2 || !a.get(0).isNumber() || !a.get(1).isNumber()) {
            throw new IllegalArgumentException(kind + " needs [min, max] numbers, got " + a);
        }
        return new double[]{a.get(0).asDouble(), a.get(1).asDouble()};
    }

    /** A JSON value as the knob's Java type: Double, Integer or String. */
    private static Object value(Knob k, JsonNode x) {
        return switch (k.type()) {
            case REAL -> {
                if (!x.isNumber()) throw new IllegalArgumentException("expected a number, got " + x);
                yield x.asDouble();
            }
            case INTEGER -> {
                if (!x.isNumber() || x.asDouble() != Math.rint(x.asDouble())) throw new IllegalArgumentException("expected an integer, got " + x);
                yield x.asInt();
            }
            case TEXT -> {
                if (!x.isTextual()) throw new IllegalArgumentException("expected a string, got " + x);
                yield x.asText();
            }
        };
    }

    /**
     * Checks every fixed value, choice and range end against the config's own validation on top of
     * {@code base}, so a space that can only produce invalid runs fails before anything runs.
     */
    public void check(TrainConfig base) {
        Map<String, Object> fixed = new LinkedHashMap<>();
        ranges.forEach((k, r) -> {
            if (r instanceof Fixed f) fixed.put(k.id(), f.value());
        });
        ranges.forEach((k, r) -> {
            for (Object v : r.corners()) {
                Map<String, Object> one = new LinkedHashMap<>(fixed);
                one.put(k.id(), v);
                try {
                    Knob.apply(base, one);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("search space " + source + ": " + k.id() + " = " + v
                            + " gives no valid run config: " + e.getMessage(), e);
                }
            }
        });
    }

    /** Whether the knob is searched in log space (plots use a log axis for it). */
    public boolean isLogScale(Knob k) {
        return ranges.get(k) instanceof LogUniform;
    }

    /** The Arbiter parameter space over the knobs that vary; its values are knob id → value maps. */
    public CandidateSpace toArbiter() {
        return new CandidateSpace(this);
    }

    /** The JSON form, as {@link #parse} reads it. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        ranges.forEach((k, r) -> m.put(k.id(), r.toJson()));
        return m;
    }
}
