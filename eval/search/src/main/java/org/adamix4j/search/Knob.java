package org.adamix4j.search;

import org.adamix4j.eval.train.MethodSpec;
import org.adamix4j.eval.train.TrainConfig;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A hyperparameter a search can vary: the AdaMix knobs, LoRA's, and the trainer's. Each has the name it
 * carries in search-space JSON, in the results table and in the run config's JSON, and a value type.
 */
public enum Knob {
    METHOD("method", Type.TEXT),
    LEARNING_RATE("learning_rate", Type.REAL),
    WEIGHT_DECAY("weight_decay", Type.REAL),
    WARMUP_RATIO("warmup_ratio", Type.REAL),
    EPOCHS("epochs", Type.INTEGER),
    BATCH_SIZE("batch_size", Type.INTEGER),
    SEED("seed", Type.INTEGER),
    R("r", Type.INTEGER),
    EXPERTS("experts", Type.INTEGER),
    SHARING("sharing", Type.TEXT),
    CONSISTENCY_WEIGHT("consistency_weight", Type.REAL),
    LORA_ALPHA("lora_alpha", Type.REAL),
    LORA_DROPOUT("lora_dropout", Type.REAL);

    /** What values a knob takes. */
    public enum Type {
        /** a real number: uniform, log-uniform or a list of numbers */
        REAL,
        /** an integer: an integer range or a list of integers */
        INTEGER,
        /** a word: a list of words */
        TEXT
    }

    private final String id;
    private final Type type;

    Knob(String id, Type type) {
        this.id = id;
        this.type = type;
    }

    /** The knob's name in JSON and tables. */
    public String id() {
        return id;
    }

    public Type type() {
        return type;
    }

    /** The knob named {@code id}; an unknown name is an error listing the known ones. */
    public static Knob byId(String id) {
        for (Knob k : values()) if (k.id.equals(id)) return k;
        throw new IllegalArgumentException("unknown knob '" + id + "'; known: "
                + Arrays.stream(values()).map(Knob::id).collect(Collectors.joining(", ")));
    }

    /**
     * The run config of one candidate: {@code base} with the given knob values (keyed by {@link #id()}).
     * When the candidate's method differs from the base's, method knobs it does not set start from that
     * method's defaults ({@link MethodSpec#defaults}), not from the base's.
     *
     * @throws IllegalArgumentException if the result is not a valid config (the configs' own validation)
     */
    public static TrainConfig apply(TrainConfig base, Map<String, Object> values) {
        String method = text(values, METHOD, base.method().name());
        MethodSpec d = method.equals(base.method().name()) ? base.method() : MethodSpec.defaults(method);
        MethodSpec m = new MethodSpec(method, integer(values, R, d.r()), integer(values, EXPERTS, d.experts()),
                text(values, SHARING, d.sharing()), real(values, CONSISTENCY_WEIGHT, d.consistencyWeight()),
                real(values, LORA_ALPHA, d.loraAlpha()), real(values, LORA_DROPOUT, d.loraDropout()));
        TrainConfig.Optim o = base.optim();
        TrainConfig.Optim optim = new TrainConfig.Optim(real(values, LEARNING_RATE, o.learningRate()),
                real(values, WEIGHT_DECAY, o.weightDecay()), real(values, WARMUP_RATIO, o.warmupRatio()),
                o.maxGradNorm());
        return new TrainConfig(base.task(), m, optim, integer(values, EPOCHS, base.epochs()),
                integer(values, BATCH_SIZE, base.batchSize()), base.maxLength(), values.get(SEED.id) == null ? base.seed() : ((Number) values.get(SEED.id)).longValue(),
                base.bucketing(), base.trainLimit(), base.devLimit());
    }

    /** This knob's value in a run config (the inverse of {@link #apply} for one knob). */
    public Object valueIn(TrainConfig c) {
        return switch (this) {
            case METHOD -> c.method().name();
            case LEARNING_RATE -> c.optim().learningRate();
            case WEIGHT_DECAY -> c.optim().weightDecay();
            case WARMUP_RATIO -> c.optim().warmupRatio();
            case EPOCHS -> c.epochs();
            case BATCH_SIZE -> c.batchSize();
            case SEED -> c.seed();
            case R -> c.method().r();
            case EXPERTS -> c.method().experts();
            case SHARING -> c.method().sharing();
            case CONSISTENCY_WEIGHT -> c.method().consistencyWeight();
            case LORA_ALPHA -> c.method().loraAlpha();
            case LORA_DROPOUT -> c.method().loraDropout();
        };
    }

    private static String text(Map<String, Object> v, Knob k, String otherwise) {
        Object x = v.get(k.id);
        return x == null ? otherwise : x.toString();
    }

    private static int integer(Map<String, Object> v, Knob k, int otherwise) {
        Object x = v.get(k.id);
        return x == null ? otherwise : ((Number) x).intValue();
    }

    private static double real(Map<String, Object> v, Knob k, double otherwise) {
        Object x = v.get(k.id);
        return x == null ? otherwise : ((Number) x).doubleValue();
    }
}
