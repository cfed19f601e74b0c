package org.adamix4j.eval.train;

import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a training run (with the model and the data, which are named by the
 * caller). Validated here, so a bad value fails before anything is written.
 *
 * @param task        task name (see Tasks)
 * @param method      the adaptation method
 * @param optim       optimiser and schedule
 * @param epochs      passes over the training data (≥ 1)
 * @param batchSize   examples per step (≥ 1)
 * @param maxLength   tokens per example after truncation (≥ 8)
 * @param seed        seeds init, shuffling, routing and dropout
 * @param bucketing   group examples of similar length into batches (shuffled batch order)
 * @param trainLimit  use only the first n training examples (0 = all)
 * @param devLimit    evaluate on only the first n dev examples (0 = all)
 */
public record TrainConfig(String task, MethodSpec method, Optim optim, int epochs, int batchSize, int maxLength,
                          long seed, boolean bucketing, int trainLimit, int devLimit) {

    /**
     * AdamW with linear warmup then linear decay to zero, and gradient clipping.
     *
     * @param learningRate peak learning rate (> 0)
     * @param weightDecay  decoupled weight decay (≥ 0); never applied to biases and LayerNorm-style 1-D weights
     * @param warmupRatio  share of all steps spent warming up, in [0, 1)
     * @param maxGradNorm  clip the global gradient norm to this (> 0; infinity disables)
     */
    public record Optim(double learningRate, double weightDecay, double warmupRatio, double maxGradNorm) {
        public Optim {
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
            }
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
            if (!(warmupRatio >= 0 && warmupRatio < 1)) {
                throw new IllegalArgumentException("warmup ratio must be in [0, 1), got " + warmupRatio);
            }
            if (!(maxGradNorm > 0)) throw new IllegalArgumentException("max gradient norm must be > 0, got " + maxGradNorm);
        }
    }

    public TrainConfig {
        if (task == null || task.isBlank()) throw new IllegalArgumentException("task must be given");
        if (method == null || optim == null) throw new IllegalArgumentException("method and optim must be given");
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (maxLength < 8) throw new IllegalArgumentException("max length must be >= 8, got " + maxLength);
        if (trainLimit < 0 || devLimit < 0) throw new IllegalArgumentException("limits must be >= 0");
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task);
        Map<String, Object> meth = new LinkedHashMap<>();
        meth.put("name", method.name());
        meth.put("r", method.r());
        meth.put("experts", method.experts());
        meth.put("sharing", method.sharing());
        meth.put("consistency_weight", method.consistencyWeight());
        meth.put("lora_alpha", method.loraAlpha());
        meth.put("lora_dropout", method.loraDropout());
        m.put("method", meth);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("learning_rate", optim.learningRate());
        o.put("weight_decay", optim.weightDecay());
        o.put("warmup_ratio", optim.warmupRatio());
        o.put("max_grad_norm", optim.maxGradNorm());
        m.put("optim", o);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("max_length", maxLength);
        m.put("seed", seed);
        m.put("bucketing", bucketing);
        m.put("train_limit", trainLimit);
        m.put("dev_limit", devLimit);
        return m;
    }

    /** Reads {@link #toJson()}'s output; missing fields are an error naming the field. */
    public static TrainConfig fromJson(JsonNode j) {
        JsonNode meth = need(j, "method");
        JsonNode o = need(j, "optim");
        return new TrainConfig(need(j, "task").asText(),
                new MethodSpec(need(meth, "name").asText(), need(meth, "r").asInt(), need(meth, "experts").asInt(),
                        need(meth, "sharing").asText(), need(meth, "consistency_weight").asDouble(),
                        need(meth, "lora_alpha").asDouble(), need(meth, "lora_dropout").asDouble()),
                new Optim(need(o, "learning_rate").asDouble(), need(o, "weight_decay").asDouble(),
                        need(o, "warmup_ratio").asDouble(), need(o, "max_grad_norm").asDouble()),
                need(j, "epochs").asInt(), need(j, "batch_size").asInt(), need(j, "max_length").asInt(),
                need(j, "seed").asLong(), need(j, "bucketing").asBoolean(), j.path("train_limit").asInt(0),
                j.path("dev_limit").asInt(0));
    }

    private static JsonNode need(JsonNode j, String field) {
        JsonNode v = j.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("run config has no '" + field + "' field");
        return v;
    }
}
