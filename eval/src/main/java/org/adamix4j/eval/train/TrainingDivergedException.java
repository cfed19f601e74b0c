package org.adamix4j.eval.train;

/**
 * Training stopped because the loss stopped being a finite number (NaN or infinite): every later step
 * would only propagate it, so the trainer stops at once instead of finishing the epochs.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int step;
    private final double loss;

    /**
     * @param epoch        1-based epoch of the step
     * @param step         1-based global step whose loss was not finite
     * @param loss         that loss
     * @param learningRate the run's peak learning rate (named in the message: the usual cause)
     */
    public TrainingDivergedException(int epoch, int step, double loss, double learningRate) {
        this(epoch, step, "loss", loss, loss, learningRate);
    }

    /**
     * A step whose gradient norm was not finite while the loss was. With the opt-in fused LayerNorm a NaN
     * in the activations comes out of a LayerNorm as 0 and can leave the loss finite; the gradients still
     * show it.
     */
    public static TrainingDivergedException gradientNorm(int epoch, int step, double loss, double norm, double learningRate) {
        return new TrainingDivergedException(epoch, step, "gradient norm", norm, loss, learningRate);
    }

    private TrainingDivergedException(int epoch, int step, String what, double value, double loss, double learningRate) {
        super(String.format("training diverged: %s %s at epoch %d, step %d (peak learning rate %.3g; try a lower one)",
                what, value, epoch, step, learningRate));
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    public int epoch() {
        return epoch;
    }

    public int step() {
        return step;
    }

    public double loss() {
        return loss;
    }
}
