package org.adamix4j.modules.export;

import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.adamix4j.graphs.Heads;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.Activation;
import org.adamix4j.modules.MethodConfig;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.adapter.AdapterConfig;
import org.adamix4j.modules.baseline.BitFitConfig;
import org.adamix4j.modules.baseline.FullFineTuningConfig;
import org.adamix4j.modules.baseline.HeadOnlyConfig;
import org.adamix4j.modules.checkpoint.AdapterCheckpoint;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.onnx.AtomicFiles;
import org.adamix4j.onnx.OnnxModelFile;
import org.adamix4j.onnx.Site;
import org.adamix4j.onnx.rewrite.OnnxGraph;
import org.adamix4j.onnx.rewrite.SanitizeNames;
import org.adamix4j.onnx.rewrite.Tensors;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a served model (the result of {@link PeftModel#mergeAndUnload}, a merged LoRA, BitFit, full
 * fine-tuning or plain adapters) back into its source ONNX file, so that ONNX Runtime or any other ONNX
 * runtime can serve it: changed base weights replace their initializers, each adapter becomes six nodes
 * after its site, and the task head becomes nodes reading the encoder's output, named {@value Heads#LOGITS}.
 *
 * <p>The export starts from the original file, not from the imported SameDiff graph: the import rewrites
 * and fix-ups exist for samediff-import-onnx's defects and mean nothing to other runtimes. Which base
 * weights changed is found by comparing every float initializer with the SameDiff array of the same
 * (sanitised) name, so a method that changes weights in place (LoRA merged, BitFit) needs no code here.
 * Methods whose training-time structure has no plain form (AdaMix before {@code mergeAndUnload}, LoRA
 * before merging) are refused rather than exported without their update.
 *
 * <p>Provenance goes into the model's {@code metadata_props}: library and export format versions, the
 * method config, the head and the base model's SHA-256.
 */
public final class OnnxExport {
    /** Bumped when what the export writes changes. */
    public static final int FORMAT_VERSION = 1;
    /** Key prefix of the metadata the export writes. */
    public static final String METADATA_PREFIX = "adamix4j.";

    private final PeftModel model;
    private final OnnxModelFile source;

    private OnnxExport(PeftModel model, OnnxModelFile source) {
        this.model = model;
        this.source = source;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What an export did. */
    public record Report(List<String> replacedInitializers, int adapterSites, int nodesAdded, String output) {
        public Report {
            replacedInitializers = List.copyOf(replacedInitializers);
        }
    }

    /** The exported model in memory, and what was changed. */
    public record Result(ModelProto model, Report report) {
    }

    /** Builds the exported model. */
    public Result toModel() {
        OnnxGraph g = OnnxGraph.of(source.model());
        Map<String, String> onnxNames = sanitizedNames(g);
        List<String> replaced = replaceChangedWeights(g);
        int nodesBefore = g.nodes().size();
        int sites = 0;
        if (model.config() instanceof AdapterConfig adapter) {
            for (Site site : model.injection().sites()) {
                addAdapter(g, onnxName(onnxNames, site.output(), "adapter site " + site.kind() + " of layer " + site.layer()),
                        adapter, adapter.prefix(site));
                sites++;
            }
        }
        String output = addHead(g, onnxNames);
        ModelProto.Builder m = g.toModel().toBuilder();
        for (Map.Entry<String, String> e : metadata(replaced.size(), sites).entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return new Result(m.build(), new Report(replaced, sites, g.nodes().size() - nodesBefore, output));
    }

    /** Writes the exported model to {@code file} (through a temp file, so an existing file is never half-written). */
    public Report write(Path file) {
        Result r = toModel();
        AtomicFiles.write(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                r.model().writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write ONNX model " + file, e);
            }
        });
        return r.report();
    }

    /** Refuses what cannot be exported, with the reason. */
    private static void checkExportable(PeftModel model) {
        MethodConfig c = model.config();
        boolean plain = c instanceof HeadOnlyConfig || c instanceof BitFitConfig || c instanceof FullFineTuningConfig
                || c instanceof AdapterConfig;
        boolean mergedLora = c instanceof LoraConfig && model.isMerged();
        if (plain || mergedLora) return;
        if (c instanceof LoraConfig) {
            throw new IllegalStateException("ONNX export of a LoRA model needs its update in the weights: call merge() "
                    + "or mergeAndUnload(freshBase) first");
        }
        throw new IllegalStateException("ONNX export: method '" + c.type() + "' has no plain ONNX form as trained; export "
                + "mergeAndUnload(freshBase) of it (AdaMix: experts averaged into one adapter; AdaMix-LoRA: folded "
                + "into the weights)");
    }

    /** Sanitised name (what SameDiff calls a tensor) → the tensor's name in the ONNX file. */
    private static Map<String, String> sanitizedNames(OnnxGraph g) {
        Map<String, String> names = new LinkedHashMap<>();
        for (NodeProto.Builder n : g.nodes()) {
            for (String t : n.getInputList()) names.putIfAbsent(SanitizeNames.sanitize(t), t);
            for (String t : n.getOutputList()) names.putIfAbsent(SanitizeNames.sanitize(t), t);
        }
        for (String t : g.initializers().keySet()) names.putIfAbsent(SanitizeNames.sanitize(t), t);
        return names;
    }

    private static String onnxName(Map<String, String> names, String sameDiffName, String what) {
        String n = names.get(sameDiffName);
        if (n == null) {
            throw new IllegalStateException("ONNX export: " + what + " is the variable '" + sameDiffName
                    + "', which names no tensor of the source ONNX file");
        }
        return n;
    }

    /**
     * Replaces every float initializer whose SameDiff array (same sanitised name and shape) now holds
     * other values; returns their ONNX names. Untouched weights are compared bit for bit and stay as they are.
     */
    private List<String> replaceChangedWeights(OnnxGraph g) {
        SameDiff sd = model.sameDiff();
        List<String> replaced = new ArrayList<>();
        for (TensorProto t : new ArrayList<>(g.initializers().values())) {
            if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber()) continue;
            String name = SanitizeNames.sanitize(t.getName());
            if (!sd.hasVariable(name) || sd.getVariable(name).getArr() == null) continue;
            INDArray now = sd.getArrForVarName(name);
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            if (now.dataType() != DataType.FLOAT || !Arrays.equals(now.shape(), dims)) continue;
            float[] current = now.dup('c').data().asFloat();
            double[] original = Tensors.doubles(t);
            boolean same = true;
            for (int i = 0; i < current.length && same; i++) same = current[i] == (float) original[i];
            if (same) continue;
            g.putInitializer(Tensors.float32(t.getName(), dims, current));
            replaced.add(t.getName());
        }
        return replaced;
    }

    /** {@code h + up(act(down(h)))} after {@code site}, with every former reader of {@code site} reading the sum. */
    private void addAdapter(OnnxGraph g, String site, AdapterConfig config, String prefix) {
        Nodes n = new Nodes(g, "adamix4j/" + prefix);
        String down = n.op("Add", n.op("MatMul", site, n.weight(prefix + "/down/W")), n.weight(prefix + "/down/b"));
        String act = activation(n, config.activation(), down);
        String up = n.op("Add", n.op("MatMul", act, n.weight(prefix + "/up/W")), n.weight(prefix + "/up/b"));
        g.replaceUses(site, n.name("out"));
        n.opNamed("Add", n.name("out"), site, up);
        n.insertAfterProducerOf(site);
    }

    private static String activation(Nodes n, Activation a, String x) {
        return switch (a) {
            // (x · (1 + erf(x / √2))) · 0.5: graphs.Layers.geluExact's value (a product with 0.5 is exact in
            // float, so the order does not matter), in the node order PyTorch's exporter writes for BERT's
            // own GELU: the pattern ONNX Runtime's GELU fusion looks for (not checked separately here).
            case GELU -> n.op("Mul", n.op("Mul", x, n.op("Add", n.op("Erf", n.op("Div", x,
                    n.scalar("sqrt2", (float) Math.sqrt(2.0)))), n.scalar("one", 1f))), n.scalar("half", 0.5f));
            case SWISH -> n.op("Mul", x, n.op("Sigmoid", x));
            case RELU -> n.op("Relu", x);
        };
    }

    /** The head's nodes on the encoder output; returns the name of the logits tensor (the model's first output). */
    private String addHead(OnnxGraph g, Map<String, String> onnxNames) {
        TaskHead head = model.head();
        String hidden = onnxName(onnxNames, model.base().structure().output(), "the encoder output");
        if (head.kind() == TaskHead.Kind.CAUSAL_LM) return hidden; // the model's own logits, already an output
        if (g.producer(Heads.LOGITS).isPresent() || g.initializer(Heads.LOGITS).isPresent() || g.isGraphInput(Heads.LOGITS)) {
            throw new IllegalStateException("ONNX export: the source model already has a tensor named '" + Heads.LOGITS + "'");
        }
        Nodes n = new Nodes(g, "adamix4j/head");
        // [CLS] = hidden[:, 0, :], as Heads.attach reads it.
        String cls = n.op("Gather", attrs -> attrs.addAttribute(OnnxGraph.intAttribute("axis", 1)), hidden, n.index("cls_index", 0));
        String pooled = n.op("Tanh", n.op("Add", n.op("MatMul", cls, n.weight(Heads.DENSE_W)), n.weight(Heads.DENSE_B)));
        n.opNamed("Add", Heads.LOGITS, n.op("MatMul", pooled, n.weight(Heads.OUT_W)), n.weight(Heads.OUT_B));
        n.append();
        ValueInfoProto logits = ValueInfoProto.newBuilder().setName(Heads.LOGITS).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(TensorShapeProto.newBuilder()
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(head.numLabels()))))).build();
        g.outputs().add(0, logits);
        return Heads.LOGITS;
    }

    private Map<String, String> metadata(int replaced, int sites) {
        Map<String, String> m = new LinkedHashMap<>();
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("type", model.config().type());
        method.putAll(model.config().toJson());
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("kind", model.head().kind().name());
        head.put("num_labels", model.head().numLabels());
        try {
            ObjectMapper json = new ObjectMapper();
            m.put(METADATA_PREFIX + "format_version", Integer.toString(FORMAT_VERSION));
            m.put(METADATA_PREFIX + "library_version", AdapterCheckpoint.LIBRARY_VERSION);
            m.put(METADATA_PREFIX + "method", json.writeValueAsString(method));
            m.put(METADATA_PREFIX + "head", json.writeValueAsString(head));
            m.put(METADATA_PREFIX + "base_model_sha256", model.base().sourceSha256());
            m.put(METADATA_PREFIX + "replaced_initializers", Integer.toString(replaced));
            m.put(METADATA_PREFIX + "adapter_sites", Integer.toString(sites));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** New nodes and initializers under one name prefix, inserted into the graph in topological order. */
    private final class Nodes {
        private final OnnxGraph g;
        private final String prefix;
        private final List<NodeProto.Builder> added = new ArrayList<>();

        Nodes(OnnxGraph g, String prefix) {
            this.g = g;
            this.prefix = prefix;
        }

        String name(String local) {
            return prefix + "/" + local;
        }

        String op(String type, String... inputs) {
            return op(type, b -> { }, inputs);
        }

        String op(String type, java.util.function.Consumer<NodeProto.Builder> attrs, String... inputs) {
            String out = g.freshName(name(type));
            NodeProto.Builder b = OnnxGraph.node(type, out, out, inputs);
            attrs.accept(b);
            added.add(b);
            return out;
        }

        void opNamed(String type, String output, String... inputs) {
            added.add(OnnxGraph.node(type, output, output, inputs));
        }

        /** A trained parameter of the model as an initializer named after its SameDiff variable. */
        String weight(String sameDiffName) {
            INDArray a = model.sameDiff().getArrForVarName(sameDiffName);
            if (a == null) throw new IllegalStateException("ONNX export: the model has no parameter '" + sameDiffName + "'");
            String name = g.freshName("adamix4j/" + sameDiffName);
            g.putInitializer(Tensors.float32(name, a.shape(), a.castTo(DataType.FLOAT).dup('c').data().asFloat()));
            return name;
        }

        String scalar(String local, float v) {
            String name = g.freshName(name(local));
            g.putInitializer(Tensors.float32(name, new long[0], v));
            return name;
        }

        String index(String local, long v) {
            String name = g.freshName(name(local));
            g.putInitializer(Tensors.int64(name, new long[0], v));
            return name;
        }

        /** Puts the new nodes right after the node producing {@code tensor} (or first, for a graph input). */
        void insertAfterProducerOf(String tensor) {
            List<NodeProto.Builder> nodes = g.nodes();
            int at = 0;
            for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).getOutputList().contains(tensor)) at = i + 1;
            nodes.addAll(at, added);
        }

        void append() {
            g.nodes().addAll(added);
        }
    }

    /** Builder: the model and its source ONNX file are required. */
    public static final class Builder {
        private PeftModel model;
        private OnnxModelFile source;

        /** The model to export: served form (merged, unloaded or plain adapters). */
        public Builder setModel(PeftModel model) {
            this.model = model;
            return this;
        }

        /** The ONNX file the model's base was imported from (checked by SHA-256). */
        public Builder setSource(OnnxModelFile source) {
            this.source = source;
            return this;
        }

        public OnnxExport build() {
            if (model == null) throw new IllegalArgumentException("OnnxExport: setModel(peftModel) is required");
            if (source == null) throw new IllegalArgumentException("OnnxExport: setSource(onnxModelFile) is required");
            if (!source.sha256().equals(model.base().sourceSha256())) {
                throw new IllegalArgumentException("OnnxExport: " + source.path() + " (sha256 " + source.sha256()
                        + ") is not the file the model was imported from (sha256 " + model.base().sourceSha256() + ")");
            }
            checkExportable(model);
            return new OnnxExport(model, source);
        }
    }
}
