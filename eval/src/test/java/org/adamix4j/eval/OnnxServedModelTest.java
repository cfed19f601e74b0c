package org.adamix4j.eval;

import org.adamix4j.onnx.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening exported models: what is not one is refused with the file named and what was expected. */
class OnnxServedModelTest {

    @Test
    void missingFileTextFileAndPlainEncoderAreClearErrors(@TempDir Path dir) throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> OnnxServedModel.open(dir.resolve("merged.onnx")));
        assertTrue(missing.getMessage().contains("not found") && missing.getMessage().contains("merged.onnx"), missing.getMessage());

        Path text = Files.writeString(dir.resolve("notes.onnx"), "not a model");
        IllegalArgumentException notOnnx = assertThrows(IllegalArgumentException.class, () -> OnnxServedModel.open(text));
        assertTrue(notOnnx.getMessage().contains("not a model ONNX Runtime can load") && notOnnx.getMessage().contains("notes.onnx"),
                notOnnx.getMessage());

        // A valid ONNX encoder that AdaMix4j did not export: no logits, no provenance.
        Path encoder = TestModels.fixtureFile("bert-tiny");
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class, () -> OnnxServedModel.open(encoder));
        assertTrue(plain.getMessage().contains("is not an AdaMix4j export") && plain.getMessage().contains("adamix merge --onnx"),
                plain.getMessage());
    }
}
