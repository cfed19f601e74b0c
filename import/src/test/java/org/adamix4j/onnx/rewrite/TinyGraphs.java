package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.adamix4j.onnx.GraphImport;
import org.adamix4j.onnx.fixup.ImportFixup;
import org.adamix4j.onnx.fixup.ImportFixupPass;
import org.adamix4j.onnx.fixup.PruneDanglingOps;
import org.adamix4j.onnx.fixup.ResetMatMulCoefficients;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builders for tiny hand-made ONNX graphs (opset 11, IR 7) and the import variants the rule tests
 * compare: the standard passes, and the standard passes minus one rule or fix-up.
 */
public final class TinyGraphs {
    public static final double TOLERANCE = 1e-5;

    private TinyGraphs() {
    }

    // ---- graph building -------------------------------------------------------------------------

    /** A graph under construction; {@link #model()} wraps it in an opset-11, IR-7 model. */
    public static final class Builder {
        private final GraphProto.Builder g = GraphProto.newBuilder().setName("tiny");

        public Builder input(String name, long... dims) {
            g.addInput(valueInfo(name, TensorProto.DataType.FLOAT, dims));
            return this;
        }

        /** A graph input of element type {@code type} (e.g. INT64 ids or masks). */
        public Builder input(String name, TensorProto.DataType type, long... dims) {
            g.addInput(valueInfo(name, type, dims));
            return this;
        }

        /** A graph output; its shape is left undeclared. */
        public Builder output(String name) {
            g.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()))));
            return this;
        }

        public Builder initializer(TensorProto t) {
            g.addInitializer(t);
            return this;
        }

        public Builder floats(String name, long[] dims, float... values) {
            return initializer(Tensors.float32(name, dims, values));
        }

        public Builder longs(String name, long[] dims, long... values) {
            return initializer(Tensors.int64(name, dims, values));
        }

        /** A node named {@code name} with one output, {@code output}. */
        public Builder node(String op, String name, String output, List<String> inputs, AttributeProto... attributes) {
            g.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output).addAllInput(inputs)
                    .addAllAttribute(Arrays.asList(attributes)));
            return this;
        }

        /** A {@code Constant} node whose output is {@code t} (named after the output). */
        public Builder constant(String name, String output, TensorProto t) {
            AttributeProto value = AttributeProto.newBuilder().setName("value")
                    .setType(AttributeProto.AttributeType.TENSOR).setT(t.toBuilder().setName(output)).build();
            return node("Constant", name, output, List.of(), value);
        }

        public ModelProto model() {
            return ModelProto.newBuilder().setIrVersion(7).setProducerName("adamix4j-tests")
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(11))
                    .setGraph(g).build();
        }
    }

    public static Builder graph() {
        return new Builder();
    }

    public static ValueInfoProto valueInfo(String name, TensorProto.DataType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    public static AttributeProto ints(String name, long... values) {
        List<Long> list = new ArrayList<>();
        for (long v : values) list.add(v);
        return OnnxGraph.intsAttribute(name, list);
    }

    public static AttributeProto intAttr(String name, long value) {
        return OnnxGraph.intAttribute(name, value);
    }

    /** Shorthand for a dims array. */
    public static long[] dims(long... d) {
        return d;
    }

    // ---- import variants ------------------------------------------------------------------------

    /** The standard rewrite rules minus those of the given classes. */
    public static OnnxRewritePass rulesWithout(Class<?>... excluded) {
        List<OnnxRewriteRule> rules = new ArrayList<>(OnnxRewritePass.standard().rules());
        rules.removeIf(r -> Arrays.asList(excluded).contains(r.getClass()));
        if (rules.size() != OnnxRewritePass.standard().rules().size() - excluded.length) {
            throw new IllegalArgumentException("not all of " + Arrays.toString(excluded) + " are standard rules");
        }
        return new OnnxRewritePass(rules);
    }

    /** The standard fix-ups minus those of the given classes. */
    public static ImportFixupPass fixupsWithout(Class<?>... excluded) {
        List<ImportFixup> fixups = new ArrayList<>(ImportFixupPass.standard().fixups());
        int all = fixups.size();
        fixups.removeIf(f -> Arrays.asList(excluded).contains(f.getClass()));
        if (fixups.size() != all - excluded.length) {
            throw new IllegalArgumentException("not all of " + Arrays.toString(excluded) + " are standard fix-ups");
        }
        return new ImportFixupPass(fixups);
    }

    /** Standard passes minus one rewrite rule. */
    public static GraphImport withoutRule(Class<? extends OnnxRewriteRule> rule) {
        return new GraphImport(rulesWithout(rule), ImportFixupPass.standard());
    }

    /** Standard passes minus one fix-up. */
    public static GraphImport withoutFixup(Class<? extends ImportFixup> fixup) {
        return new GraphImport(OnnxRewritePass.standard(), fixupsWithout(fixup));
    }

    public static SameDiff importWith(GraphImport gi, ModelProto m) {
        return gi.run(m, "tiny test graph").sameDiff();
    }

    // ---- execution and comparison ---------------------------------------------------------------

    /** A float array of the given shape holding {@code values} in row-major order. */
    public static INDArray array(float[] values, long... shape) {
        return Nd4j.createFromArray(values).reshape(shape).castTo(DataType.FLOAT);
    }

    /** An INT64 array of the given shape holding {@code values} in row-major order. */
    public static INDArray longArray(long[] values, long... shape) {
        return Nd4j.createFromArray(values).reshape(shape).castTo(DataType.INT64);
    }

    /** Runs {@code sd} and returns output {@code name}'s values, row-major, as floats. */
    public static float[] run(SameDiff sd, Map<String, INDArray> inputs, String name) {
        return values(sd.output(inputs, name).get(name));
    }

    public static INDArray runArray(SameDiff sd, Map<String, INDArray> inputs, String name) {
        return sd.output(inputs, name).get(name);
    }

    public static float[] values(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Max |a - b|; +infinity if the lengths differ or anything is not finite. */
    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) return Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) return Double.POSITIVE_INFINITY;
            max = Math.max(max, d);
        }
        return max;
    }

    /** Asserts {@code actual} equals {@code expected} (same shape) to {@link #TOLERANCE}. */
    public static void assertClose(float[] expected, long[] expectedShape, INDArray actual) {
        assertArrayEquals(expectedShape, actual.shape(), "output shape");
        double d = maxAbsDiff(expected, values(actual));
        assertTrue(d <= TOLERANCE, "max |SameDiff - expected| = " + d);
    }

    /**
     * Asserts that {@code actual} is wrong, i.e. differs from {@code expected} by more than 1e-3 (or
     * has another length), prints the measured difference and returns it.
     */
    public static double assertWrong(String defect, float[] expected, float[] actual) {
        double d = maxAbsDiff(expected, actual);
        System.out.printf("defect %s: max |SameDiff - expected| = %.4g%n", defect, d);
        assertTrue(d > 1e-3, defect + ": expected a wrong output, got max |diff| = " + d);
        return d;
    }

    /**
     * Asserts that {@code run} throws, that the message chain of the exception contains {@code fragment}
     * (so it is the documented defect, not some unrelated failure), prints it and returns the exception.
     */
    public static Throwable assertFails(String defect, String fragment, Runnable run) {
        Throwable t = assertThrows(Throwable.class, run::run, defect + ": expected a failure");
        String chain = messages(t);
        System.out.printf("defect %s: %s%n", defect, chain.lines().findFirst().orElse(""));
        assertTrue(chain.contains(fragment), defect + ": failure does not mention '" + fragment + "': " + chain);
        return t;
    }

    /** The class names and messages of {@code t} and its causes, one per line. */
    public static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) b.append(c).append('\n');
        return b.toString();
    }

    /** The number of times the standard rewrite rule {@code rule} fired in an import. */
    public static int fired(GraphImport.Result r, OnnxRewriteRule rule) {
        Integer n = r.rewriteCounts().get(rule.name());
        assertTrue(n != null, rule.name() + " did not run");
        return n;
    }

    /** The single node of {@code graph} named {@code name}. */
    public static NodeProto.Builder nodeNamed(OnnxGraph graph, String name) {
        List<NodeProto.Builder> found = graph.nodes().stream().filter(n -> n.getName().equals(name)).toList();
        assertEquals(1, found.size(), "nodes named " + name);
        return found.get(0);
    }

    /** The op types of {@code graph}'s nodes, in order. */
    public static List<String> opTypes(OnnxGraph graph) {
        return graph.nodes().stream().map(NodeProto.Builder::getOpType).toList();
    }

    /** {@code n} deterministic, distinct, non-trivial values in roughly [-2, 2]. */
    public static float[] sample(int n, int seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (Math.sin(1.3 * i + 0.7 * seed + 0.4) * 2.0);
        return v;
    }

    /** Row-major [rows, k] × [k, cols]. */
    public static float[] matmul(float[] a, float[] b, int rows, int k, int cols) {
        float[] c = new float[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) s += (double) a[i * k + t] * b[t * cols + j];
                c[i * cols + j] = (float) s;
            }
        return c;
    }
}
