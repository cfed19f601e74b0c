package org.adamix4j.onnx;

import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.ValueInfoProto;
import org.adamix4j.onnx.fixup.ImportFixupPass;
import org.adamix4j.onnx.rewrite.OnnxRewritePass;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.samediff.frameworkimport.onnx.importer.OnnxFrameworkImporter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The import pipeline for any ONNX graph, transformer or not: rewrite, check ops, run
 * samediff-import-onnx, fix up, freeze. {@link OnnxImporter} adds file handling, the structure map
 * and the cache on top.
 */
public final class GraphImport {
    private final OnnxRewritePass rewrites;
    private final ImportFixupPass fixups;

    public GraphImport(OnnxRewritePass rewrites, ImportFixupPass fixups) {
        this.rewrites = rewrites;
        this.fixups = fixups;
    }

    /** The standard rewrites and fix-ups. */
    public static GraphImport standard() {
        return new GraphImport(OnnxRewritePass.standard(), ImportFixupPass.standard());
    }

    /**
     * Imports {@code model}; {@code source} names it in error messages.
     *
     * @throws UnsupportedOnnxOpException if a node uses an op the importer has no mapping for
     */
    public Result run(ModelProto model, String source) {
        OnnxRewritePass.Result rewritten = rewrites.apply(model);
        OnnxFrameworkImporter importer = new OnnxFrameworkImporter();
        checkOpsSupported(rewritten.model(), importer, source);
        SameDiff sd = runImport(importer, rewritten.model());
        Map<String, Integer> fixed = fixups.apply(sd);
        freezeAll(sd);
        return new Result(sd, rewritten.counts(), fixed);
    }

    /** An imported graph and what the passes did to it. */
    public record Result(SameDiff sameDiff, Map<String, Integer> rewriteCounts, Map<String, Integer> fixupCounts) {
    }

    static void checkOpsSupported(ModelProto m, OnnxFrameworkImporter importer, String source) {
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (!importer.getRegistry().hasMappingOpProcess(n.getOpType())) {
                throw new UnsupportedOnnxOpException(n.getOpType(), n.getName(), source);
            }
        }
    }

    private static SameDiff runImport(OnnxFrameworkImporter importer, ModelProto rewritten) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("adamix4j-rewritten", ".onnx");
            Files.write(tmp, rewritten.toByteArray());
            Map<String, INDArray> example = exampleInputs(rewritten);
            // The importer prints sd.summary() (thousands of lines) to stdout: silence it.
            Path file = tmp;
            return Quiet.call(() -> importer.runImport(file.toString(), example, false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rewritten model to a temp file", e);
        } finally {
            if (tmp != null) tmp.toFile().delete();
        }
    }

    /**
     * A real batch for the importer, which evaluates shapes on example data: the declared shape with
     * dynamic dimensions set to 1 (batch) and 3 (sequence); ids 1,2,3 for {@code input_ids}, ones for
     * {@code attention_mask}, zeros for anything else.
     */
    static Map<String, INDArray> exampleInputs(ModelProto m) {
        Map<String, INDArray> ex = new LinkedHashMap<>();
        List<String> inits = m.getGraph().getInitializerList().stream().map(TensorProto::getName).toList();
        for (ValueInfoProto in : m.getGraph().getInputList()) {
            if (inits.contains(in.getName())) continue;
            var type = in.getType().getTensorType();
            long[] shape = new long[type.getShape().getDimCount()];
            for (int i = 0; i < shape.length; i++) {
                var d = type.getShape().getDim(i);
                shape[i] = d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : (i == 0 ? 1 : 3);
            }
            int elem = type.getElemType();
            DataType dt = elem == TensorProto.DataType.INT64.getNumber() ? DataType.INT64
                    : elem == TensorProto.DataType.INT32.getNumber() ? DataType.INT32 : DataType.FLOAT;
            INDArray a = switch (in.getName()) {
                case "input_ids" -> Nd4j.linspace(1, shapeLength(shape), shapeLength(shape), DataType.DOUBLE)
                        .reshape(shape).castTo(dt);
                case "attention_mask" -> Nd4j.ones(dt, shape);
                default -> Nd4j.zeros(dt, shape);
            };
            ex.put(in.getName(), a);
        }
        return ex;
    }

    private static long shapeLength(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    /** Imported weights are frozen: anything the importer made trainable becomes a constant. */
    private static void freezeAll(SameDiff sd) {
        List<SDVariable> vars = sd.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE).toList();
        if (!vars.isEmpty()) sd.convertToConstants(vars);
    }
}
