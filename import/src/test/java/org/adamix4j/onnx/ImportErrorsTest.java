package org.adamix4j.onnx;

import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.adamix4j.onnx.rewrite.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to the importer: each a clear exception that names the input and what was expected. */
class ImportErrorsTest {

    private static IllegalArgumentException importFails(Path p) {
        return assertThrows(IllegalArgumentException.class,
                () -> OnnxImporter.builder().setModel(p).optUseCache(false).build().importModel());
    }

    @Test
    void missingFile(@TempDir Path dir) {
        IllegalArgumentException e = importFails(dir.resolve("missing.onnx"));
        assertTrue(e.getMessage().startsWith("ONNX model file not found") && e.getMessage().contains("missing.onnx"),
                e.getMessage());
    }

    @Test
    void textFileIsNotAnOnnxModel(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("notes.onnx"), "these are not the weights you are looking for\n");
        IllegalArgumentException e = importFails(p);
        assertTrue(e.getMessage().startsWith("not an ONNX model") && e.getMessage().contains("notes.onnx")
                && e.getMessage().contains("ModelProto"), e.getMessage());
    }

    @Test
    void directoryIsNotAFile(@TempDir Path dir) {
        IllegalArgumentException e = importFails(dir);
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void graphWithoutTransformerLayersNamesTheExpectedNodeNames(@TempDir Path dir) throws Exception {
        Path p = write(dir, model("Relu", "/just/a/Relu"));
        IllegalArgumentException e = importFails(p);
        assertTrue(e.getMessage().contains("no transformer layers recognised")
                && e.getMessage().contains("/encoder/layer.0/attention/self/query/MatMul"), e.getMessage());
    }

    @Test
    void unsupportedOpNamesOpAndNode(@TempDir Path dir) throws Exception {
        // A quantized export: DequantizeLinear has no mapping in samediff-import-onnx M2.1.
        ModelProto m = model("DequantizeLinear", "/encoder/layer.0/attention/self/query/DequantizeLinear");
        UnsupportedOnnxOpException e = assertThrows(UnsupportedOnnxOpException.class,
                () -> GraphImport.standard().run(m, "quantized.onnx"));
        assertEquals("DequantizeLinear", e.opType());
        assertEquals("/encoder/layer.0/attention/self/query/DequantizeLinear", e.node());
        assertTrue(e.getMessage().contains("'DequantizeLinear'") && e.getMessage().contains("quantized.onnx")
                && e.getMessage().contains("float32 export"), e.getMessage());
    }

    private static Path write(Path dir, ModelProto m) throws Exception {
        Path p = dir.resolve("m.onnx");
        Files.write(p, m.toByteArray());
        return p;
    }

    /** y = op(x) (with a scale and zero point for DequantizeLinear) on a float [2] input. */
    private static ModelProto model(String op, String nodeName) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(nodeName).addInput("x").addOutput("y");
        GraphProto.Builder g = GraphProto.newBuilder().setName("g");
        if (op.equals("DequantizeLinear")) {
            n.addInput("scale").addInput("zero");
            g.addInitializer(Tensors.float32("scale", new long[]{}, 0.5f));
            g.addInitializer(TensorProto.newBuilder().setName("zero").setDataType(TensorProto.DataType.UINT8.getNumber())
                    .setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(new byte[]{0})).build());
        }
        int elem = op.equals("DequantizeLinear") ? TensorProto.DataType.UINT8.getNumber() : TensorProto.DataType.FLOAT.getNumber();
        g.addNode(n).addInput(info("x", elem)).addOutput(info("y", TensorProto.DataType.FLOAT.getNumber()));
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(11)).setGraph(g).build();
    }

    private static ValueInfoProto info(String name, int elem) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(elem);
        t.getShapeBuilder().addDimBuilder().setDimValue(2);
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }
}
