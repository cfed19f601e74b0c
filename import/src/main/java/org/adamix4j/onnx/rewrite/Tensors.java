package org.adamix4j.onnx.rewrite;

import onnx.Onnx.TensorProto;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reading and writing the small constant tensors that rewrite rules inspect or create. */
public final class Tensors {
    private Tensors() {
    }

    /** The values of an integer tensor (INT64 or INT32), from raw_data or the typed fields. */
    public static long[] longs(TensorProto t) {
        int type = t.getDataType();
        if (type == TensorProto.DataType.INT64.getNumber()) {
            if (!t.getRawData().isEmpty()) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long[] out = new long[b.remaining() / 8];
                b.asLongBuffer().get(out);
                return out;
            }
            return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        }
        if (type == TensorProto.DataType.INT32.getNumber()) {
            if (!t.getRawData().isEmpty()) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long[] out = new long[b.remaining() / 4];
                for (int i = 0; i < out.length; i++) out[i] = b.getInt();
                return out;
            }
            return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
        }
        throw new IllegalArgumentException("tensor '" + t.getName() + "' has data type " + t.getDataType()
                + ", expected INT64 or INT32");
    }

    /** The values of a floating-point tensor (FLOAT or DOUBLE) as doubles. */
    public static double[] doubles(TensorProto t) {
        int type = t.getDataType();
        if (type == TensorProto.DataType.FLOAT.getNumber()) {
            if (!t.getRawData().isEmpty()) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                double[] out = new double[b.remaining() / 4];
                for (int i = 0; i < out.length; i++) out[i] = b.getFloat();
                return out;
            }
            return t.getFloatDataList().stream().mapToDouble(Float::doubleValue).toArray();
        }
        if (type == TensorProto.DataType.DOUBLE.getNumber()) {
            if (!t.getRawData().isEmpty()) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                double[] out = new double[b.remaining() / 8];
                b.asDoubleBuffer().get(out);
                return out;
            }
            return t.getDoubleDataList().stream().mapToDouble(Double::doubleValue).toArray();
        }
        throw new IllegalArgumentException("tensor '" + t.getName() + "' has data type " + t.getDataType()
                + ", expected FLOAT or DOUBLE");
    }

    /** An INT64 tensor with the given dims (empty dims = scalar). */
    public static TensorProto int64(String name, long[] dims, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64.getNumber()).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    /** A FLOAT tensor with the given dims (empty dims = scalar). */
    public static TensorProto float32(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }
}
