package org.adamix4j.onnx.rewrite;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A mutable view of an ONNX graph for rewrite rules: nodes in topological order, initializers by
 * name, and the look-ups rules need (producer, consumers, attributes). {@link #toModel()} writes
 * it back into the model it came from, keeping the model's metadata and opset.
 */
public final class OnnxGraph {
    private final ModelProto original;
    private final List<NodeProto.Builder> nodes = new ArrayList<>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private int counter;

    private OnnxGraph(ModelProto model) {
        this.original = model;
        GraphProto g = model.getGraph();
        for (NodeProto n : g.getNodeList()) nodes.add(n.toBuilder());
        for (TensorProto t : g.getInitializerList()) initializers.put(t.getName(), t);
        inputs.addAll(g.getInputList());
        outputs.addAll(g.getOutputList());
    }

    /** Wraps a copy of {@code model}'s graph; the model itself is not changed. */
    public static OnnxGraph of(ModelProto model) {
        return new OnnxGraph(model);
    }

    /** The model with this graph, value_info dropped (rewrites may invalidate it). */
    public ModelProto toModel() {
        GraphProto.Builder g = original.getGraph().toBuilder()
                .clearNode().clearInitializer().clearInput().clearOutput().clearValueInfo();
        for (NodeProto.Builder n : nodes) g.addNode(n.build());
        g.addAllInitializer(initializers.values());
        // ONNX IR < 4 requires initializers to be listed as inputs; keep only true inputs otherwise.
        g.addAllInput(inputs);
        g.addAllOutput(outputs);
        return original.toBuilder().setGraph(g).build();
    }

    public List<NodeProto.Builder> nodes() {
        return nodes;
    }

    public List<ValueInfoProto> inputs() {
        return inputs;
    }

    public List<ValueInfoProto> outputs() {
        return outputs;
    }

    public Map<String, TensorProto> initializers() {
        return initializers;
    }

    public Optional<TensorProto> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    public void putInitializer(TensorProto t) {
        initializers.put(t.getName(), t);
    }

    public boolean isGraphInput(String name) {
        return inputs.stream().anyMatch(v -> v.getName().equals(name));
    }

    public boolean isGraphOutput(String name) {
        return outputs.stream().anyMatch(v -> v.getName().equals(name));
    }

    /** The node producing {@code tensor}, if any (graph inputs and initializers have none). */
    public Optional<NodeProto.Builder> producer(String tensor) {
        for (NodeProto.Builder n : nodes) if (n.getOutputList().contains(tensor)) return Optional.of(n);
        return Optional.empty();
    }

    /** Nodes that read {@code tensor}, in graph order. */
    public List<NodeProto.Builder> consumers(String tensor) {
        List<NodeProto.Builder> out = new ArrayList<>();
        for (NodeProto.Builder n : nodes) if (n.getInputList().contains(tensor)) out.add(n);
        return out;
    }

    /** A tensor or node name that does not occur in the graph yet. */
    public String freshName(String base) {
        Set<String> used = allNames();
        String name;
        do {
            name = base + "__a4j" + (counter++);
        } while (used.contains(name));
        return name;
    }

    private Set<String> allNames() {
        Set<String> names = new HashSet<>(initializers.keySet());
        for (NodeProto.Builder n : nodes) {
            names.add(n.getName());
            names.addAll(n.getInputList());
            names.addAll(n.getOutputList());
        }
        return names;
    }

    /** Applies {@code rename} to every tensor name: node inputs/outputs, initializers, graph I/O. */
    public void renameTensors(UnaryOperator<String> rename) {
        for (NodeProto.Builder n : nodes) {
            for (int i = 0; i < n.getInputCount(); i++) n.setInput(i, rename.apply(n.getInput(i)));
            for (int i = 0; i < n.getOutputCount(); i++) n.setOutput(i, rename.apply(n.getOutput(i)));
        }
        Map<String, TensorProto> renamed = new LinkedHashMap<>();
        for (TensorProto t : initializers.values()) {
            String name = rename.apply(t.getName());
            renamed.put(name, t.toBuilder().setName(name).build());
        }
        initializers.clear();
        initializers.putAll(renamed);
        inputs.replaceAll(v -> v.toBuilder().setName(rename.apply(v.getName())).build());
        outputs.replaceAll(v -> v.toBuilder().setName(rename.apply(v.getName())).build());
    }

    /** Replaces every read of {@code from} by {@code to}. */
    public void replaceUses(String from, String to) {
        for (NodeProto.Builder n : nodes)
            for (int i = 0; i < n.getInputCount(); i++) if (n.getInput(i).equals(from)) n.setInput(i, to);
    }

    /**
     * Removes nodes whose outputs nobody reads and initializers nobody reads, until nothing changes.
     * Rewrites leave such leftovers (e.g. the index constant of a replaced Gather).
     */
    public void pruneUnused() {
        boolean changed = true;
        while (changed) {
            Set<String> read = new HashSet<>();
            for (NodeProto.Builder n : nodes) read.addAll(n.getInputList());
            for (ValueInfoProto o : outputs) read.add(o.getName());
            changed = nodes.removeIf(n -> n.getOutputList().stream().noneMatch(read::contains));
            changed |= initializers.keySet().removeIf(name -> !read.contains(name));
        }
    }

    /** The attribute {@code name} of {@code node}, if present. */
    public static Optional<AttributeProto> attribute(NodeProto.Builder node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }

    /** Sets (adds or replaces) an attribute of {@code node}. */
    public static void setAttribute(NodeProto.Builder node, AttributeProto attribute) {
        for (int i = 0; i < node.getAttributeCount(); i++) {
            if (node.getAttribute(i).getName().equals(attribute.getName())) {
                node.setAttribute(i, attribute);
                return;
            }
        }
        node.addAttribute(attribute);
    }

    public static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto intsAttribute(String name, List<Long> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(values).build();
    }

    /** A new node {@code op(inputs) -> output} named {@code name}. */
    public static NodeProto.Builder node(String op, String name, String output, String... inputs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String in : inputs) b.addInput(in);
        return b;
    }

    /** A new {@code Cast(in) -> out} to the ONNX element type {@code to}. */
    public static NodeProto.Builder cast(String name, String in, String out, long to) {
        return node("Cast", name, out, in).addAttribute(intAttribute("to", to));
    }
}
