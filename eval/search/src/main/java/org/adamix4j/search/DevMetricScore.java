package org.adamix4j.search;

import org.adamix4j.eval.train.Trainer;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Arbiter's score of a candidate: the task's primary dev metric at the run's best epoch, maximised.
 * The "model" it scores is the {@link Trainer.Result} of the candidate's run (the trainer has already
 * evaluated every epoch; nothing is evaluated again).
 */
final class DevMetricScore implements ScoreFunction {
    private final String metric;

    DevMetricScore(String metric) {
        this.metric = metric;
    }

    @Override
    public double score(Object model, DataProvider data, Map<String, Object> dataParameters) {
        if (!(model instanceof Trainer.Result r)) throw new IllegalArgumentException("expected a Trainer.Result, got " + model);
        Double v = r.best() == null ? null : r.best().get(metric);
        if (v == null) throw new IllegalArgumentException("the run reported no dev " + metric + ": " + r.best());
        return v;
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        return score(model, (DataProvider) null, null);
    }

    @Override
    public boolean minimize() {
        return false;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(Trainer.Result.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(Object.class);
    }
}
