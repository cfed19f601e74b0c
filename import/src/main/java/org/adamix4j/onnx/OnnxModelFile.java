package org.adamix4j.onnx;

import onnx.Onnx.ModelProto;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An ONNX model read from disk, with the SHA-256 of its bytes (the identity adapters are saved
 * against).
 *
 * @param path   where it was read from
 * @param model  the parsed model
 * @param sha256 SHA-256 of the file
 */
public record OnnxModelFile(Path path, ModelProto model, String sha256) {

    /**
     * Reads and checks an ONNX file.
     *
     * @throws IllegalArgumentException if the file is missing, not a file, or not an ONNX model
     */
    public static OnnxModelFile read(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("ONNX model file not found: " + path.toAbsolutePath());
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("ONNX model path is not a regular file: " + path.toAbsolutePath());
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX model " + path.toAbsolutePath(), e);
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + path.toAbsolutePath()
                    + " (expected an ONNX ModelProto protobuf; parsing failed: " + e.getMessage() + ")", e);
        }
        // Protobuf parses many non-ONNX byte strings "successfully" into an empty or junk message.
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getOpsetImportCount() == 0) {
            throw new IllegalArgumentException("not an ONNX model: " + path.toAbsolutePath()
                    + " (expected an ONNX ModelProto with a graph and an opset import; found "
                    + model.getGraph().getNodeCount() + " nodes and " + model.getOpsetImportCount() + " opset imports)");
        }
        return new OnnxModelFile(path, model, Hashing.sha256(path));
    }
}
