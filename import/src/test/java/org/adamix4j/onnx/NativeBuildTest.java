package org.adamix4j.onnx;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU build depends on libnd4j's oneDNN build (classifier linux-x86_64-onednn, pom.xml), whose
 * matrix products are several times faster than the plain build's on the imported encoder
 * (docs/benchmarks.md). The plain build still arrives transitively through nd4j-native's own POM, and
 * JavaCPP picks between them: this checks that the library actually mapped into the process is the
 * oneDNN one, so a dependency change that silently falls back to the slow build fails here.
 */
class NativeBuildTest {

    @Test
    void libnd4jInThisProcessIsTheOneDnnBuild() throws Exception {
        Nd4j.create(2); // loads the backend
        String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        assertTrue(info.contains("HAVE_ONEDNN"), "libnd4j build info lacks HAVE_ONEDNN:\n" + info);
        List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.endsWith("/libnd4jcpu.so")).map(l -> l.substring(l.indexOf('/'))).distinct().toList();
        assertEquals(1, mapped.size(), "exactly one libnd4jcpu.so is mapped: " + mapped);
        assertTrue(mapped.get(0).contains("/linux-x86_64-onednn/"), "mapped libnd4j is not the oneDNN build: " + mapped);
    }
}
