package org.adamix4j.onnx.fixup;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;

/**
 * Sets alpha=1, beta=0 on every imported matmul. The ONNX MatMul mapping of M2.1 writes alpha=0,
 * beta=1, i.e. C = 0·AB + 1·C, which returns whatever the uninitialised output buffer held: the import
 * "succeeds" and the model computes garbage.
 */
public final class ResetMatMulCoefficients implements ImportFixup {
    @Override
    public String name() {
        return "reset-matmul-coefficients";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(SameDiff sd) {
        int count = 0;
        for (SameDiffOp op : sd.getOps().values()) {
            if (!(op.getOp() instanceof Mmul mmul)) continue;
            double[] t = mmul.tArgs();
            if (t.length == 2 && t[0] == 1.0 && t[1] == 0.0) continue;
            while (mmul.numTArguments() > 0) mmul.removeTArgument(mmul.getTArgument(0));
            mmul.addTArgument(1.0, 0.0);
            count++;
        }
        return count;
    }
}
