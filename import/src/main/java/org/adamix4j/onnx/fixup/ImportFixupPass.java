package org.adamix4j.onnx.fixup;

import org.nd4j.autodiff.samediff.SameDiff;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The ordered list of repairs applied to every imported SameDiff graph. */
public final class ImportFixupPass {
    private final List<ImportFixup> fixups;

    public ImportFixupPass(List<ImportFixup> fixups) {
        this.fixups = List.copyOf(fixups);
    }

    public static ImportFixupPass standard() {
        return new ImportFixupPass(List.of(new ResetMatMulCoefficients(), new PruneDanglingOps()));
    }

    /**
     * {@link #standard()} plus {@link FuseLayerNorm}: faster training (13 LayerNorms of MiniLM at 32 x 128:
     * 2.5 s → 1.4 s CPU per step) with the same outputs for finite inputs. Not the default: SameDiff's
     * {@code layer_norm} replaces NaN with 0, so a diverging run (inf activations) keeps a finite loss and
     * is no longer detected as diverged.
     */
    public static ImportFixupPass withFusedLayerNorm() {
        return new ImportFixupPass(List.of(new ResetMatMulCoefficients(), new FuseLayerNorm(), new PruneDanglingOps()));
    }

    /** The fix-ups, in the order they run. */
    public List<ImportFixup> fixups() {
        return fixups;
    }

    /** Fix-up names and versions; part of the import cache key. */
    public String fingerprint() {
        return fixups.stream().map(f -> f.name() + "@" + f.version()).collect(Collectors.joining(","));
    }

    /** Applies every fix-up in order; returns how many places each repaired. */
    public Map<String, Integer> apply(SameDiff sd) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ImportFixup f : fixups) counts.put(f.name(), f.apply(sd));
        return counts;
    }
}
