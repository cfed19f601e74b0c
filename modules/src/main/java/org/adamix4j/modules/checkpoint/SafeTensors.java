package org.adamix4j.modules.checkpoint;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (Hugging Face), float32 only: an 8-byte little-endian header length, a JSON
 * header mapping each tensor name to {@code {"dtype": "F32", "shape": [...], "data_offsets": [begin,
 * end]}}, then the raw little-endian data. Python reads it with {@code safetensors.numpy.load_file}, or
 * with plain numpy from the header.
 */
public final class SafeTensors {
    private SafeTensors() {
    }

    /** Writes {@code tensors} (sorted by name) to {@code file}. */
    public static void write(Path file, Map<String, INDArray> tensors) throws IOException {
        Map<String, INDArray> sorted = new TreeMap<>(tensors);
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : sorted.entrySet()) {
            long bytes = e.getValue().length() * 4;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", e.getValue().shape());
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // data starts 8-byte aligned; pad the header with spaces
        byte[] head = new byte[padded];
        java.util.Arrays.fill(head, (byte) ' ');
        System.arraycopy(json, 0, head, 0, json.length);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(head);
            for (INDArray a : sorted.values()) {
                float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                out.write(b.array());
            }
        }
    }

    /** Reads every tensor of {@code file}, in header order. */
    public static Map<String, INDArray> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) throw new IllegalArgumentException(file + " is not a safetensors file: " + all.length + " bytes");
        long headerLen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen < 2 || 8 + headerLen > all.length) {
            throw new IllegalArgumentException(file + " is not a safetensors file: header length " + headerLen
                    + " does not fit in " + all.length + " bytes");
        }
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, (int) headerLen, StandardCharsets.UTF_8).trim());
        long dataStart = 8 + headerLen;
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode info = e.getValue();
            if (!info.path("dtype").asText().equals("F32")) {
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' has dtype "
                        + info.path("dtype").asText() + ", expected F32");
            }
            long[] shape = new long[info.path("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = info.path("shape").get(i).asLong();
            long begin = dataStart + info.path("data_offsets").get(0).asLong();
            long end = dataStart + info.path("data_offsets").get(1).asLong();
            long n = 1;
            for (long s : shape) n *= s;
            if (end - begin != n * 4 || end > all.length) {
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' of shape "
                        + java.util.Arrays.toString(shape) + " has " + (end - begin) + " data bytes, expected " + n * 4);
            }
            float[] v = new float[(int) n];
            ByteBuffer.wrap(all, (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            out.put(e.getKey(), Nd4j.create(v, shape, 'c'));
        }
        return out;
    }
}
