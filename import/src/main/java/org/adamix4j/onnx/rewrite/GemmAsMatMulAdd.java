package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;

import java.util.List;

/**
 * Rewrites {@code Gemm(a, B, c)} with alpha = beta = 1 and no transposes as {@code Add(MatMul(a, B), c)}.
 * The importer maps Gemm to a matmul whose coefficients come out as alpha = 0, beta = 1 (like every
 * imported MatMul), and {@code ResetMatMulCoefficients} then sets beta = 0, which drops the bias c.
 * Hugging Face GPT-2's Conv1D ({@code torch.addmm(bias, x, W)}) exports as Gemm. The MatMul keeps
 * the Gemm's node name, so the structure map finds projections by the usual {@code .../MatMul}-style
 * name and their bias through the Add. A Gemm with other attributes is left alone.
 */
public final class GemmAsMatMulAdd implements OnnxRewriteRule {
    @Override
    public String name() {
        return "gemm-as-matmul-add";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public int apply(OnnxGraph graph) {
        int count = 0;
        List<NodeProto.Builder> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto.Builder gemm = nodes.get(i);
            if (!gemm.getOpType().equals("Gemm") || !plain(gemm)) continue;
            String out = gemm.getOutput(0);
            String base = gemm.getName().isEmpty() ? out : gemm.getName();
            String product = graph.freshName(base + "/product");
            boolean bias = gemm.getInputCount() == 3 && !gemm.getInput(2).isEmpty();
            String a = gemm.getInput(0);
            String b = gemm.getInput(1);
            String c = bias ? gemm.getInput(2) : null;
            gemm.setOpType("MatMul").clearInput().clearAttribute().addInput(a).addInput(b);
            if (bias) {
                gemm.setOutput(0, product);
                nodes.add(i + 1, OnnxGraph.node("Add", graph.freshName(base + "/bias"), out, product, c));
                i++;
            }
            count++;
        }
        return count;
    }

    private static boolean plain(NodeProto.Builder n) {
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "alpha", "beta" -> {
                    if (a.getF() != 1f) return false;
                }
                case "transA", "transB" -> {
                    if (a.getI() != 0) return false;
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }
}
