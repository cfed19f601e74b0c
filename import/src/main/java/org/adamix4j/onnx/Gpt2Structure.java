package org.adamix4j.onnx;

import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.ValueInfoProto;
import org.adamix4j.onnx.rewrite.OnnxGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The structure map of a Hugging Face GPT-2 export ({@code GPT2LMHeadModel}). GPT-2's projections are
 * Conv1D modules exported as {@code Reshape(x, [-1, d]) → Gemm(W [in, out], b) → Reshape(back to rank 3)};
 * attention has one fused projection {@code c_attn} ([d, 3d]) whose output is split into q, k and v.
 * Sites:
 * <ul>
 *   <li>QUERY, KEY, VALUE: the three column blocks of c_attn. Input: the rank-3 activations c_attn reads;
 *       output: the Split's part (so a module spliced there changes only q, k or v); weight and bias:
 *       c_attn's, with {@link Site#columnOffset()} 0, d, 2d and {@link Site#columnCount()} d.</li>
 *   <li>ATTENTION_OUTPUT ({@code attn.c_proj}), INTERMEDIATE ({@code mlp.c_fc}) and OUTPUT
 *       ({@code mlp.c_proj}): input the rank-3 activations before the flattening Reshape, output the
 *       rank-3 result after the Reshape back.</li>
 * </ul>
 * GPT-2 is pre-LayerNorm ({@code ln_1} before attention, {@code ln_2} before the MLP), so it has no site
 * matching BERT's post-block LayerNorm kinds; none is mapped. The structure's output is {@code logits}.
 */
final class Gpt2Structure {
    private static final Pattern C_ATTN = Pattern.compile("/h\\.(\\d+)/attn/c_attn/Gemm$");
    private static final Pattern ATTN_C_PROJ = Pattern.compile("/h\\.(\\d+)/attn/c_proj/Gemm$");
    private static final Pattern C_FC = Pattern.compile("/h\\.(\\d+)/mlp/c_fc/Gemm$");
    private static final Pattern MLP_C_PROJ = Pattern.compile("/h\\.(\\d+)/mlp/c_proj/Gemm$");

    private Gpt2Structure() {
    }

    /** The structure, or null if {@code g} has no GPT-2 c_attn nodes. */
    static TransformerStructure map(OnnxGraph g) {
        List<Site> sites = new ArrayList<>();
        TreeMap<Integer, Long> hidden = new TreeMap<>();
        for (NodeProto.Builder n : g.nodes()) {
            if (!n.getOpType().equals("Gemm")) continue;
            Matcher m;
            if ((m = C_ATTN.matcher(n.getName())).find()) {
                int layer = Integer.parseInt(m.group(1));
                Optional<List<Site>> qkv = fused(g, layer, n);
                if (qkv.isEmpty()) continue;
                sites.addAll(qkv.get());
                hidden.put(layer, qkv.get().get(0).columnCount());
            } else if ((m = ATTN_C_PROJ.matcher(n.getName())).find()) {
                conv1d(g, SiteKind.ATTENTION_OUTPUT, Integer.parseInt(m.group(1)), n).ifPresent(sites::add);
            } else if ((m = C_FC.matcher(n.getName())).find()) {
                conv1d(g, SiteKind.INTERMEDIATE, Integer.parseInt(m.group(1)), n).ifPresent(sites::add);
            } else if ((m = MLP_C_PROJ.matcher(n.getName())).find()) {
                conv1d(g, SiteKind.OUTPUT, Integer.parseInt(m.group(1)), n).ifPresent(sites::add);
            }
        }
        if (hidden.isEmpty()) return null;
        sites.sort((a, b) -> a.layer() != b.layer() ? Integer.compare(a.layer(), b.layer()) : a.kind().compareTo(b.kind()));
        long vocab = -1;
        for (NodeProto.Builder n : g.nodes()) {
            if (n.getOpType().equals("Gather") && readsInputIds(g, n.getInput(1))) {
                vocab = g.initializer(n.getInput(0)).map(t -> t.getDims(0)).orElse(-1L);
            }
        }
        List<String> inputs = g.inputs().stream().map(ValueInfoProto::getName)
                .filter(n -> !g.initializers().containsKey(n)).toList();
        return new TransformerStructure("gpt2", hidden.lastKey() + 1, hidden.firstEntry().getValue(), vocab, inputs,
                g.outputs().get(0).getName(), sites);
    }

    /** q, k, v: the Split parts after {@code Gemm → Reshape}. */
    private static Optional<List<Site>> fused(OnnxGraph g, int layer, NodeProto.Builder gemm) {
        Optional<String> input = rank3Input(g, gemm);
        Optional<NodeProto.Builder> back = single(g, gemm.getOutput(0), "Reshape");
        if (input.isEmpty() || back.isEmpty()) return Optional.empty();
        Optional<NodeProto.Builder> split = single(g, back.get().getOutput(0), "Split");
        if (split.isEmpty() || split.get().getOutputCount() != 3) return Optional.empty();
        Optional<TensorProto> w = g.initializer(gemm.getInput(1));
        if (w.isEmpty() || w.get().getDimsCount() != 2 || w.get().getDims(1) % 3 != 0) return Optional.empty();
        long d = w.get().getDims(1) / 3;
        String bias = gemm.getInputCount() > 2 ? gemm.getInput(2) : null;
        SiteKind[] kinds = {SiteKind.QUERY, SiteKind.KEY, SiteKind.VALUE};
        List<Site> out = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            out.add(new Site(kinds[p], layer, gemm.getName(), input.get(), split.get().getOutput(p), gemm.getInput(1),
                    bias, p * d, d));
        }
        return Optional.of(out);
    }

    private static Optional<Site> conv1d(OnnxGraph g, SiteKind kind, int layer, NodeProto.Builder gemm) {
        Optional<String> input = rank3Input(g, gemm);
        Optional<NodeProto.Builder> back = single(g, gemm.getOutput(0), "Reshape");
        if (input.isEmpty() || back.isEmpty()) return Optional.empty();
        String bias = gemm.getInputCount() > 2 ? gemm.getInput(2) : null;
        return Optional.of(new Site(kind, layer, gemm.getName(), input.get(), back.get().getOutput(0), gemm.getInput(1), bias));
    }

    /** The rank-3 tensor that Conv1D flattens to 2-D before its Gemm. */
    private static Optional<String> rank3Input(OnnxGraph g, NodeProto.Builder gemm) {
        return g.producer(gemm.getInput(0)).filter(p -> p.getOpType().equals("Reshape")).map(p -> p.getInput(0));
    }

    private static Optional<NodeProto.Builder> single(OnnxGraph g, String tensor, String op) {
        List<NodeProto.Builder> c = g.consumers(tensor);
        return c.size() == 1 && c.get(0).getOpType().equals(op) ? Optional.of(c.get(0)) : Optional.empty();
    }

    private static boolean readsInputIds(OnnxGraph g, String tensor) {
        if (tensor.equals("input_ids")) return true;
        return g.producer(tensor).filter(p -> p.getOpType().equals("Reshape"))
                .map(p -> p.getInput(0).equals("input_ids")).orElse(false);
    }
}
