package org.adamix4j.graphs;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Seeded parameter initialisation computed in Java, so the same seed gives the same numbers on every
 * ND4J backend. Each parameter draws from its own stream, derived from the run seed and the
 * parameter's name, so adding a module does not shift the initial values of the others.
 */
public final class Seeded {
    private final long seed;

    public Seeded(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** The random stream for {@code name}. */
    public SplittableRandom stream(String name) {
        return new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
    }

    /** N(0, std²) float32 array of {@code shape}. */
    public INDArray normal(String name, double std, long... shape) {
        SplittableRandom r = stream(name);
        float[] v = new float[(int) length(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (gaussian(r) * std);
        return Nd4j.create(v, shape, 'c');
    }

    /**
     * Kaiming-uniform as PyTorch's {@code nn.init.kaiming_uniform_(w, a=sqrt(5))} (the LoRA A init):
     * U(-b, b) with b = sqrt(6 / ((1 + a²) · fanIn)) = 1 / sqrt(fanIn).
     */
    public INDArray kaimingUniform(String name, long fanIn, long... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        SplittableRandom r = stream(name);
        float[] v = new float[(int) length(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        return Nd4j.create(v, shape, 'c');
    }

    public static INDArray zeros(long... shape) {
        return Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }
}
