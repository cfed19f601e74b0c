package org.adamix4j.modules;

import org.adamix4j.onnx.ImportedModel;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Folding a method into plain weights, explicitly (never as a side effect of inference).
 */
public interface Merger {
    /** Folds the method's update into the base weights; the module's own path is switched off. */
    void merge(SameDiff sd);

    /** Undoes {@link #merge}. */
    void unmerge(SameDiff sd);

    /**
     * A model on {@code freshBase} that computes what {@code model} computes at inference with no
     * trace of the method's training-time structure (LoRA: merged weights; AdaMix: one averaged
     * module). {@code model} is left unchanged.
     */
    PeftModel unload(PeftModel model, ImportedModel freshBase);

    /** A merger for methods that cannot merge, with the reason in every exception. */
    static Merger unsupported(String reason) {
        return new Merger() {
            @Override
            public void merge(SameDiff sd) {
                throw new UnsupportedOperationException(reason);
            }

            @Override
            public void unmerge(SameDiff sd) {
                throw new UnsupportedOperationException(reason);
            }

            @Override
            public PeftModel unload(PeftModel model, ImportedModel freshBase) {
                throw new UnsupportedOperationException(reason);
            }
        };
    }

    /** A merger for methods whose update already lives in the base weights (BitFit, full fine-tuning). */
    static Merger inPlace() {
        return new Merger() {
            @Override
            public void merge(SameDiff sd) {
                // Nothing to fold: the method trains the base weights themselves.
            }

            @Override
            public void unmerge(SameDiff sd) {
                // Nothing was folded.
            }

            @Override
            public PeftModel unload(PeftModel model, ImportedModel freshBase) {
                throw new UnsupportedOperationException(model.config().type()
                        + " trains the base weights themselves: there is nothing to unload; save the model instead");
            }
        };
    }
}
