package org.adamix4j.modules;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/** Inverted-dropout masks fed as placeholders, drawn from the run's seeded stream. */
public final class DropoutMask {
    private DropoutMask() {
    }

    /**
     * A feed for placeholder {@code name} of shape [batch, length, features]: in training each entry
     * is 0 with probability p and 1/(1-p) otherwise; at inference all ones.
     */
    public static FeedProvider feed(String name, long features, double p) {
        return (batch, length, pass, rng) -> {
            INDArray m;
            if (pass.training()) {
                float[] v = new float[(int) (batch * length * features)];
                float keep = (float) (1.0 / (1.0 - p));
                for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble() < p ? 0f : keep;
                m = Nd4j.create(v, new long[]{batch, length, features}, 'c');
            } else {
                m = Nd4j.ones(DataType.FLOAT, batch, length, features);
            }
            return Map.of(name, m);
        };
    }
}
