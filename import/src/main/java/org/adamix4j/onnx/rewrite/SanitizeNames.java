package org.adamix4j.onnx.rewrite;

/**
 * Replaces ':' in tensor names by '_'. SameDiff reads "name:1" as output 1 of op "name", so a PyTorch
 * export's anonymous weights such as {@code onnx::MatMul_787} fail with "No variable name found".
 */
public final class SanitizeNames implements OnnxRewriteRule {
    @Override
    public String name() {
        return "sanitize-names";
    }

    @Override
    public int version() {
        return 1;
    }

    /** The name SameDiff will see for the ONNX tensor {@code onnxName}. */
    public static String sanitize(String onnxName) {
        return onnxName.replace(':', '_');
    }

    @Override
    public int apply(OnnxGraph graph) {
        int[] count = {0};
        graph.renameTensors(name -> {
            String s = sanitize(name);
            if (!s.equals(name)) count[0]++;
            return s;
        });
        graph.nodes().forEach(n -> n.setName(sanitize(n.getName())));
        return count[0];
    }
}
