package org.adamix4j.cli;

import org.adamix4j.eval.nlg.DataToText;
import org.adamix4j.eval.nlg.NlgData;
import org.adamix4j.eval.nlg.PairLines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads the data files of {@code adamix train --task e2e|webnlg|dart} and {@code adamix generate}: the official
 * formats through {@link NlgData} or LoRA's {@code source||reference} lines through {@link PairLines}, chosen by an
 * explicit format or by the file's extension.
 */
final class NlgInputs {
    /** The accepted data formats. */
    enum Format { e2e, webnlg, dart, pairs }

    private NlgInputs() {
    }

    /**
     * The format of {@code file}: {@code explicit} if given, else by extension: {@code .csv} E2E, {@code .xml}
     * WebNLG (DART when {@code task} is dart), {@code .json} DART, {@code .txt} pairs.
     */
    static Format resolve(String option, Path file, Format explicit, String task) {
        if (explicit != null) return explicit;
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) return Format.e2e;
        if (n.endsWith(".xml")) return "dart".equals(task) ? Format.dart : Format.webnlg;
        if (n.endsWith(".json")) return Format.dart;
        if (n.endsWith(".txt")) return Format.pairs;
        throw new IllegalArgumentException(option + " " + file + ": cannot tell the data format from the file name; "
                + "expected .csv (E2E), .xml (WebNLG, or DART with --task dart), .json (DART) or .txt "
                + "('source||reference' lines), or give --format e2e|webnlg|dart|pairs");
    }

    /** Reads {@code file} in its format (see {@link #resolve}); a missing file is an error naming the option. */
    static List<DataToText> read(String option, Path file, Format explicit, String task) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(option + " " + file + ": no such file");
        return switch (resolve(option, file, explicit, task)) {
            case e2e -> NlgData.e2e(file);
            case webnlg -> NlgData.webnlg(file);
            case dart -> NlgData.dart(file);
            case pairs -> PairLines.read(file);
        };
    }
}
