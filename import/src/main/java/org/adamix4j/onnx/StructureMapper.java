package org.adamix4j.onnx;

import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.ValueInfoProto;
import org.adamix4j.onnx.rewrite.OnnxGraph;
import org.adamix4j.onnx.rewrite.SanitizeNames;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the {@link TransformerStructure} of an ONNX export from its node names. PyTorch's exporter
 * names nodes after the module path ({@code /encoder/layer.0/attention/self/query/MatMul}), which is
 * the only reliable record of which anonymous weight is which. Works on the original model (before
 * rewrites), with names sanitized the way the imported graph has them.
 */
public final class StructureMapper {
    /** A naming scheme: for each site kind, a node-name pattern whose group 1 is the layer index. */
    private record Family(String name, Map<SiteKind, Pattern> patterns) {
    }

    private static final List<Family> FAMILIES = List.of(
            family("bert",
                    "/layer\\.(\\d+)/attention/self/query/MatMul$",
                    "/layer\\.(\\d+)/attention/self/key/MatMul$",
                    "/layer\\.(\\d+)/attention/self/value/MatMul$",
                    "/layer\\.(\\d+)/attention/output/dense/MatMul$",
                    "/layer\\.(\\d+)/intermediate/dense/MatMul$",
                    "/layer\\.(\\d+)/output/dense/MatMul$",
                    "/layer\\.(\\d+)/attention/output/LayerNorm/",
                    "/layer\\.(\\d+)/output/LayerNorm/"),
            family("distilbert",
                    "/layer\\.(\\d+)/attention/q_lin/MatMul$",
                    "/layer\\.(\\d+)/attention/k_lin/MatMul$",
                    "/layer\\.(\\d+)/attention/v_lin/MatMul$",
                    "/layer\\.(\\d+)/attention/out_lin/MatMul$",
                    "/layer\\.(\\d+)/ffn/lin1/MatMul$",
                    "/layer\\.(\\d+)/ffn/lin2/MatMul$",
                    "/layer\\.(\\d+)/sa_layer_norm/",
                    "/layer\\.(\\d+)/output_layer_norm/"));

    private static Family family(String name, String... regexes) {
        Map<SiteKind, Pattern> m = new EnumMap<>(SiteKind.class);
        SiteKind[] kinds = SiteKind.values();
        for (int i = 0; i < kinds.length; i++) m.put(kinds[i], Pattern.compile(regexes[i]));
        return new Family(name, m);
    }

    private StructureMapper() {
    }

    /** Maps {@code model}; {@code source} names the model in error messages. */
    public static TransformerStructure map(ModelProto model, String source) {
        OnnxGraph g = OnnxGraph.of(model);
        new SanitizeNames().apply(g);
        TransformerStructure best = null;
        for (Family f : FAMILIES) {
            TransformerStructure s = map(g, f);
            if (s != null && (best == null || s.sites().size() > best.sites().size())) best = s;
        }
        TransformerStructure gpt2 = Gpt2Structure.map(g);
        if (gpt2 != null && (best == null || gpt2.sites().size() > best.sites().size())) best = gpt2;
        if (best == null) {
            throw new IllegalArgumentException("no transformer layers recognised in " + source
                    + ": expected node names like /encoder/layer.0/attention/self/query/MatMul (BERT, RoBERTa, "
                    + "MiniLM), /transformer/layer.0/attention/q_lin/MatMul (DistilBERT) or "
                    + "/transformer/h.0/attn/c_attn/Gemm (GPT-2)");
        }
        return best;
    }

    private static TransformerStructure map(OnnxGraph g, Family f) {
        List<Site> sites = new ArrayList<>();
        for (Map.Entry<SiteKind, Pattern> e : f.patterns().entrySet()) {
            SiteKind kind = e.getKey();
            if (kind.isProjection()) {
                for (NodeProto.Builder n : g.nodes()) {
                    Matcher m = e.getValue().matcher(n.getName());
                    if (n.getOpType().equals("MatMul") && m.find()) {
                        sites.add(projection(g, kind, Integer.parseInt(m.group(1)), n));
                    }
                }
            } else {
                Set<Integer> layers = new java.util.TreeSet<>();
                for (NodeProto.Builder n : g.nodes()) {
                    Matcher m = e.getValue().matcher(n.getName());
                    if (m.find()) layers.add(Integer.parseInt(m.group(1)));
                }
                for (int layer : layers) {
                    String scope = e.getValue().pattern().replace("(\\d+)", String.valueOf(layer)).replace("\\.", ".");
                    layerNorm(g, kind, layer, scope).ifPresent(sites::add);
                }
            }
        }
        if (sites.isEmpty()) return null;
        sites.sort(Comparator.comparingInt(Site::layer).thenComparing(Site::kind));
        int layers = sites.stream().mapToInt(Site::layer).max().orElse(-1) + 1;
        long hidden = sites.stream().filter(s -> s.kind() == SiteKind.QUERY).findFirst()
                .flatMap(s -> g.initializer(s.weight())).map(t -> t.getDims(0)).orElse(-1L);
        long vocab = -1;
        for (NodeProto.Builder n : g.nodes()) {
            if (n.getOpType().equals("Gather") && n.getInput(1).equals("input_ids")) {
                vocab = g.initializer(n.getInput(0)).map(t -> t.getDims(0)).orElse(-1L);
            }
        }
        List<String> inputs = g.inputs().stream().map(ValueInfoProto::getName)
                .filter(n -> !g.initializers().containsKey(n)).toList();
        String output = g.outputs().get(0).getName();
        return new TransformerStructure(f.name(), layers, hidden, vocab, inputs, output, sites);
    }

    private static Site projection(OnnxGraph g, SiteKind kind, int layer, NodeProto.Builder matmul) {
        String out = matmul.getOutput(0);
        String bias = null;
        for (NodeProto.Builder c : g.consumers(out)) {
            if (!c.getOpType().equals("Add")) continue;
            String other = c.getInput(0).equals(out) ? c.getInput(1) : c.getInput(0);
            if (g.initializers().containsKey(other)) {
                bias = other;
                out = c.getOutput(0);
                break;
            }
        }
        return new Site(kind, layer, matmul.getName(), matmul.getInput(0), out, matmul.getInput(1), bias);
    }

    private static Optional<Site> layerNorm(OnnxGraph g, SiteKind kind, int layer, String scope) {
        List<NodeProto.Builder> inScope = g.nodes().stream().filter(n -> n.getName().contains(scope)).toList();
        if (inScope.isEmpty()) return Optional.empty();
        Set<String> produced = new HashSet<>();
        inScope.forEach(n -> produced.addAll(n.getOutputList()));
        String input = null;
        List<String> params = new ArrayList<>();
        for (NodeProto.Builder n : inScope) {
            for (String in : n.getInputList()) {
                if (g.initializers().containsKey(in)) {
                    TensorProto t = g.initializers().get(in);
                    if (t.getDimsCount() == 1 && !params.contains(in)) params.add(in);
                } else if (!produced.contains(in) && input == null && isActivation(g, in)) {
                    input = in;
                }
            }
        }
        String output = null;
        NodeProto.Builder last = null;
        for (NodeProto.Builder n : inScope) {
            for (String o : n.getOutputList()) {
                boolean usedOutside = g.consumers(o).stream().anyMatch(c -> !inScope.contains(c));
                if (usedOutside || g.isGraphOutput(o)) {
                    output = o;
                    last = n;
                }
            }
        }
        if (output == null || params.size() < 2) return Optional.empty();
        return Optional.of(new Site(kind, layer, last.getName(), input, output, params.get(0), params.get(1)));
    }

    /** True unless {@code name} is the output of a Constant node (exports keep epsilon that way). */
    private static boolean isActivation(OnnxGraph g, String name) {
        return g.producer(name).map(p -> !p.getOpType().equals("Constant")).orElse(true);
    }
}
