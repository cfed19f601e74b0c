package org.adamix4j.onnx;

/** An ONNX model uses an op that the import cannot handle. Names the op and the node. */
public final class UnsupportedOnnxOpException extends IllegalArgumentException {
    private final String opType;
    private final String node;

    public UnsupportedOnnxOpException(String opType, String node, String source) {
        super("ONNX op '" + opType + "' (node '" + node + "') in " + source
                + " is not supported by the SameDiff import: samediff-import-onnx 1.0.0-M2.1 has no mapping for it"
                + ("DequantizeLinear".equals(opType) || "QuantizeLinear".equals(opType)
                ? "; quantized exports cannot be imported, use the float32 export" : ""));
        this.opType = opType;
        this.node = node;
    }

    public String opType() {
        return opType;
    }

    public String node() {
        return node;
    }
}
