package org.adamix4j.onnx;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.List;

/** Test helper: the names of the ops a SameDiff graph executes while some code runs, in order. */
public final class ExecutedOps {
    private ExecutedOps() {
    }

    /** Runs {@code work} with a recording listener (plus {@code extra}) attached to {@code sd}; detaches them after. */
    public static List<String> during(SameDiff sd, Runnable work, Listener... extra) {
        List<String> names = new ArrayList<>();
        BaseListener recorder = new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return true;
            }

            @Override
            public void opExecution(SameDiff s, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] out) {
                names.add(op.getOp().opName());
            }
        };
        sd.addListeners(recorder);
        for (Listener l : extra) sd.addListeners(l);
        try {
            work.run();
        } finally {
            sd.getListeners().remove(recorder);
            for (Listener l : extra) sd.getListeners().remove(l);
        }
        return names;
    }
}
