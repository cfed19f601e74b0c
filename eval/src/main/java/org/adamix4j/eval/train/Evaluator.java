package org.adamix4j.eval.train;

import org.adamix4j.eval.metrics.Metric;
import org.adamix4j.eval.tasks.Task;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.tokenize.EncodedText;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Predictions and the task's metrics on a labelled set, at inference (no dropout; a mixture uses its
 * experts' mean, i.e. the merged AdaMix model). Examples are batched in length order to pad little.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** Predicted class index (or score, for regression) of every example, in input order. */
    public static double[] predict(PeftModel model, List<EncodedText> texts, boolean regression, int batchSize) {
        return predict(model::logits, texts, regression, batchSize);
    }

    /** The same with any logits function, e.g. an exported model in ONNX Runtime ({@code OnnxServedModel::logits}). */
    public static double[] predict(java.util.function.Function<org.adamix4j.tokenize.TokenizedBatch, INDArray> logitsOf,
                                   List<EncodedText> texts, boolean regression, int batchSize) {
        double[] out = new double[texts.size()];
        List<Integer> order = IntStream.range(0, texts.size()).boxed()
                .sorted(Comparator.comparingInt(i -> texts.get(i).length())).toList();
        for (int start = 0; start < order.size(); start += batchSize) {
            List<Integer> idx = order.subList(start, Math.min(order.size(), start + batchSize));
            List<EncodedText> batch = new ArrayList<>();
            for (int i : idx) batch.add(texts.get(i));
            INDArray logits = logitsOf.apply(EncodedText.pad(batch));
            for (int k = 0; k < idx.size(); k++) {
                out[idx.get(k)] = regression ? logits.getDouble(k, 0) : logits.getRow(k).argMax().getDouble(0);
            }
        }
        return out;
    }

    /** The task's metrics of {@code predictions} against {@code gold}, keyed by metric id, in the task's order. */
    public static Map<String, Double> metrics(Task task, double[] predictions, double[] gold) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String id : task.metrics()) m.put(id, metric(id).compute(predictions, gold));
        return m;
    }

    static Metric metric(String id) {
        for (Metric m : Metric.values()) if (m.id().equals(id)) return m;
        throw new IllegalArgumentException("unknown metric '" + id + "'");
    }
}
