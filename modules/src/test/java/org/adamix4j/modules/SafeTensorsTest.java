package org.adamix4j.modules;

import org.adamix4j.modules.checkpoint.SafeTensors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weights file follows the safetensors layout byte for byte, and reads back exactly. */
class SafeTensorsTest {

    @Test
    void layoutIsSafetensors(@TempDir Path dir) throws Exception {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("z/b", Nd4j.createFromArray(1f, -2f));
        t.put("a/W", Nd4j.createFromArray(new float[][]{{0.5f, 1.5f, 2.5f}}));
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, t);
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "data is 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).trim();
        assertEquals("{\"a/W\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[0,12]},"
                + "\"z/b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", header);
        assertEquals(8 + n + 20, bytes.length);
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), 20).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0.5f, data.getFloat());
        Map<String, INDArray> back = SafeTensors.read(f);
        assertEquals(t.get("a/W"), back.get("a/W"));
        assertEquals(t.get("z/b"), back.get("z/b"));
    }

    @Test
    void truncatedFileIsAClearError(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("bad.safetensors"), new byte[]{1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());
    }

    /** Python users open it with numpy alone (the safetensors package is not in Debian). */
    @Test
    void numpyReadsItWhenPythonIsThere(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3: skipping the numpy cross-read");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import numpy").start();
        Assumptions.assumeTrue(probe.waitFor() == 0, "no numpy for /usr/bin/python3: skipping the numpy cross-read");
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, Map.of("lora/A", Nd4j.createFromArray(new float[][]{{1.25f, -3f}, {0f, 7.5f}})));
        String script = "import json,struct,sys,numpy as np\n"
                + "b=open(sys.argv[1],'rb').read(); n=struct.unpack('<Q',b[:8])[0]; h=json.loads(b[8:8+n])\n"
                + "i=h['lora/A']; s,e=i['data_offsets']; a=np.frombuffer(b[8+n+s:8+n+e],dtype='<f4').reshape(i['shape'])\n"
                + "print(float(a.sum()), a.shape)";
        Process p = new ProcessBuilder(python.toString(), "-c", script, f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        assertEquals("5.75 (2, 2)", out);
    }
}
