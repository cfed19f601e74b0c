package org.adamix4j.onnx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Writes replace a file whole or not at all, and leave it with the permissions any new file here gets. */
class AtomicFilesTest {

    @Test
    void aWrittenFileHasTheDefaultPermissionsAndAFailedWriteKeepsTheOldOne(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("merged.onnx");
        AtomicFiles.write(target, tmp -> Files.writeString(tmp, "first"));
        Path reference = Files.createFile(dir.resolve("reference")); // what the umask gives a new file
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(reference)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target)), "not rw------- as a temp file is");

        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "half");
            throw new IllegalStateException("writer failed");
        }));
        assertEquals("first", Files.readString(target), "the old file is intact");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("merged.onnx", "reference"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temp file left behind");
        }
    }
}
