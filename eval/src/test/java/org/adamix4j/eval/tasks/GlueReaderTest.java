package org.adamix4j.eval.tasks;

import org.adamix4j.eval.tasks.Task.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GLUE readers on tiny fixtures written here, one per task format (including QQP, MNLI and WNLI,
 * which the shared real data lacks), and every error the readers promise.
 */
class GlueReaderTest {
    @TempDir
    Path glue;

    /** Writes lines joined by LF with a final LF; returns the file. */
    private Path write(String folder, String file, String... lines) throws IOException {
        return writeRaw(folder, file, String.join("\n", lines) + "\n");
    }

    private Path writeRaw(String folder, String file, String content) throws IOException {
        return writeBytes(folder, file, content.getBytes(StandardCharsets.UTF_8));
    }

    private Path writeBytes(String folder, String file, byte[] content) throws IOException {
        Path dir = Files.createDirectories(glue.resolve(folder));
        return Files.write(dir.resolve(file), content);
    }

    private static IllegalArgumentException fails(Executable e) {
        return assertThrows(IllegalArgumentException.class, e);
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected '" + p + "' in: " + message);
        }
    }

    private static void assertExample(Example e, String id, String a, String b, double label) {
        assertEquals(id, e.id(), "id");
        assertEquals(a, e.textA(), "textA");
        assertEquals(b, e.textB(), "textB");
        assertEquals(label, e.label(), 0.0, "label");
    }

    // ---------------------------------------------------------------- formats, task by task

    @Test
    void colaTrainHasNoHeaderAndTestHasOne() throws IOException {
        write("CoLA", "train.tsv",
                "gj04\t1\t\tThe cat sat on the mat.",
                "gj04\t0\t*\tCat the mat on sat.",
                "cj99\t1\t \tShe said \"hello\" twice.");
        write("CoLA", "test.tsv", "index\tsentence", "0\tA dog barked.", "1\tBarked dog a.");
        List<Example> train = GlueTask.COLA.read(glue, Split.TRAIN);
        assertEquals(3, train.size());
        assertExample(train.get(0), "0", "The cat sat on the mat.", null, 1);
        assertExample(train.get(1), "1", "Cat the mat on sat.", null, 0);
        assertExample(train.get(2), "2", "She said \"hello\" twice.", null, 1);
        List<Example> test = GlueTask.COLA.read(glue, Split.TEST);
        assertEquals(2, test.size());
        assertExample(test.get(1), "1", "Barked dog a.", null, Double.NaN);
    }

    @Test
    void colaDevWithoutFinalNewlineKeepsLastRow() throws IOException {
        writeRaw("CoLA", "dev.tsv", "a1\t1\t\tFirst one.\nb2\t0\t*\tSecond one.");
        List<Example> dev = GlueTask.COLA.read(glue, Split.DEV);
        assertEquals(2, dev.size());
        assertExample(dev.get(1), "1", "Second one.", null, 0);
    }

    @Test
    void sst2KeepsQuotesAndTrailingSpacesVerbatim() throws IOException {
        write("SST-2", "train.tsv",
                "sentence\tlabel",
                "a \" lonely quote opens here \t1",
                "and this line is its own row \t0",
                "'' it 's `` fine '' \t1");
        write("SST-2", "test.tsv", "index\tsentence", "0\tunlabelled \" text .");
        List<Example> train = GlueTask.SST2.read(glue, Split.TRAIN);
        assertEquals(3, train.size());
        assertExample(train.get(0), "0", "a \" lonely quote opens here ", null, 1);
        assertExample(train.get(1), "1", "and this line is its own row ", null, 0);
        assertExample(train.get(2), "2", "'' it 's `` fine '' ", null, 1);
        List<Example> test = GlueTask.SST2.read(glue, Split.TEST);
        assertExample(test.get(0), "0", "unlabelled \" text .", null, Double.NaN);
    }

    @Test
    void mrpcStripsBomAndReadsQuality() throws IOException {
        writeRaw("MRPC", "train.tsv", "\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
                + "1\t702876\t702977\tHe said \" the witness \" .\tReferring to \" the witness \" , he said .\n"
                + "0\t2108705\t2108831\tIt cost $ 2.5 billion .\tIt was sold for $ 1 billion .\n");
        write("MRPC", "test.tsv", "index\t#1 ID\t#2 ID\t#1 String\t#2 String", "0\t1\t2\tA .\tB .");
        List<Example> train = GlueTask.MRPC.read(glue, Split.TRAIN);
        assertEquals(2, train.size());
        assertExample(train.get(0), "0", "He said \" the witness \" .",
                "Referring to \" the witness \" , he said .", 1);
        assertExample(train.get(1), "1", "It cost $ 2.5 billion .", "It was sold for $ 1 billion .", 0);
        assertExample(GlueTask.MRPC.read(glue, Split.TEST).get(0), "0", "A .", "B .", Double.NaN);
    }

    @Test
    void qqpUsesIdColumnAndIsDuplicate() throws IOException {
        write("QQP", "dev.tsv", "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate",
                "201359\t303345\t303346\tWhy are people so rude?\tWhy is everyone rude?\t1",
                "263843\t69383\t380476\tHow do I cook rice?\tWhat is a volcano?\t0");
        write("QQP", "test.tsv", "id\tquestion1\tquestion2", "0\tIs it?\tIs it not?");
        List<Example> dev = GlueTask.QQP.read(glue, Split.DEV);
        assertExample(dev.get(0), "201359", "Why are people so rude?", "Why is everyone rude?", 1);
        assertExample(dev.get(1), "263843", "How do I cook rice?", "What is a volcano?", 0);
        assertExample(GlueTask.QQP.read(glue, Split.TEST).get(0), "0", "Is it?", "Is it not?", Double.NaN);
    }

    @Test
    void stsbReadsScoresAndUnscoredTest() throws IOException {
        String header = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2";
        write("STS-B", "dev.tsv", header + "\tscore",
                "0\tmain-captions\tMSRvid\t2012test\t0000\tnone\tnone\tA man sings.\tA man is singing.\t5.000",
                "1\tmain-news\theadlines\t2015\t0001\tnone\tnone\tStocks fell.\tIt rained.\t0.2",
                "2\tmain-forums\tanswers\t2016\t0002\tnone\tnone\tYes.\tNo.\t3.8");
        write("STS-B", "test.tsv", header, "0\tg\tf\ty\to\ts\ts\tA.\tB.");
        List<Example> dev = GlueTask.STSB.read(glue, Split.DEV);
        assertExample(dev.get(0), "0", "A man sings.", "A man is singing.", 5.0);
        assertExample(dev.get(1), "1", "Stocks fell.", "It rained.", 0.2);
        assertExample(dev.get(2), "2", "Yes.", "No.", 3.8);
        assertExample(GlueTask.STSB.read(glue, Split.TEST).get(0), "0", "A.", "B.", Double.NaN);
    }

    @Test
    void mnliUsesGoldLabelAndMatchedOrMismatchedFiles() throws IOException {
        String cols = "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse"
                + "\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2";
        // label1 disagrees with gold_label on purpose: gold_label must win.
        write("MNLI", "train.tsv", cols + "\tlabel1\tgold_label",
                "0\t31193\t31193n\tgov\t( x )\t( y )\t(ROOT x)\t(ROOT y)\tP one.\tH one.\tentailment\tneutral",
                "1\t101457\t101457e\ttelephone\t( x )\t( y )\t(ROOT x)\t(ROOT y)\tP two.\tH two.\tentailment\tentailment");
        write("MNLI", "dev_matched.tsv", cols + "\tlabel1\tlabel2\tlabel3\tlabel4\tlabel5\tgold_label",
                "0\t63735\t63735n\tslate\tb\tb\tp\tp\tM1.\tM2.\tneutral\tentailment\tneutral\tneutral\tneutral\tneutral");
        write("MNLI", "dev_mismatched.tsv", cols + "\tlabel1\tlabel2\tlabel3\tlabel4\tlabel5\tgold_label",
                "0\t75290\t75290c\tletters\tb\tb\tp\tp\tX1.\tX2.\tcontradiction\tcontradiction"
                        + "\tcontradiction\tcontradiction\tcontradiction\tcontradiction");
        write("MNLI", "test_matched.tsv", cols, "0\t1\t1n\tg\tb\tb\tp\tp\tT1.\tT2.");
        write("MNLI", "test_mismatched.tsv", cols, "0\t2\t2n\tg\tb\tb\tp\tp\tU1.\tU2.");

        List<Example> train = GlueTask.MNLI.read(glue, Split.TRAIN);
        assertExample(train.get(0), "0", "P one.", "H one.", 2); // neutral
        assertExample(train.get(1), "1", "P two.", "H two.", 1); // entailment
        assertEquals(train, GlueTask.MNLI_MM.read(glue, Split.TRAIN), "both read MNLI/train.tsv");
        assertExample(GlueTask.MNLI.read(glue, Split.DEV).get(0), "0", "M1.", "M2.", 2);
        assertExample(GlueTask.MNLI_MM.read(glue, Split.DEV).get(0), "0", "X1.", "X2.", 0);
        assertExample(GlueTask.MNLI.read(glue, Split.TEST).get(0), "0", "T1.", "T2.", Double.NaN);
        assertExample(GlueTask.MNLI_MM.read(glue, Split.TEST).get(0), "0", "U1.", "U2.", Double.NaN);
    }

    @Test
    void qnliRteAndWnliLabels() throws IOException {
        write("QNLI", "dev.tsv", "index\tquestion\tsentence\tlabel",
                "0\tWho?\tHe did.\tentailment", "1\tWhen?\tBlue.\tnot_entailment");
        write("RTE", "train.tsv", "index\tsentence1\tsentence2\tlabel",
                "0\tA cat slept.\tAn animal slept.\tentailment", "1\tA cat slept.\tA dog ran.\tnot_entailment");
        write("WNLI", "train.tsv", "index\tsentence1\tsentence2\tlabel",
                "0\tS1.\tS2.\t1", "1\tS3.\tS4.\t0");
        List<Example> qnli = GlueTask.QNLI.read(glue, Split.DEV);
        assertExample(qnli.get(0), "0", "Who?", "He did.", 0);
        assertExample(qnli.get(1), "1", "When?", "Blue.", 1);
        List<Example> rte = GlueTask.RTE.read(glue, Split.TRAIN);
        assertEquals(0, rte.get(0).label());
        assertEquals(1, rte.get(1).label());
        // WNLI's 1 means entailment, which is index 1 of its labels (the reverse of RTE's order).
        List<Example> wnli = GlueTask.WNLI.read(glue, Split.TRAIN);
        assertEquals("entailment", GlueTask.WNLI.labels().get((int) wnli.get(0).label()));
        assertEquals("not_entailment", GlueTask.WNLI.labels().get((int) wnli.get(1).label()));
    }

    @Test
    void columnsAreFoundByHeaderNameNotPosition() throws IOException {
        write("RTE", "dev.tsv", "label\tsentence2\textra\tsentence1\tindex",
                "not_entailment\tHyp.\tjunk\tPrem.\t42");
        assertExample(GlueTask.RTE.read(glue, Split.DEV).get(0), "42", "Prem.", "Hyp.", 1);
    }

    @Test
    void labelledTestFileIsReadWithLabels() throws IOException {
        write("RTE", "test.tsv", "index\tsentence1\tsentence2\tlabel", "0\tA.\tB.\tentailment");
        assertEquals(0, GlueTask.RTE.read(glue, Split.TEST).get(0).label());
    }

    @Test
    void crlfLineEndsAndTrailingBlankLinesAreAccepted() throws IOException {
        writeRaw("SST-2", "dev.tsv", "sentence\tlabel\r\ngood .\t1\r\nbad .\t0\r\n\r\n\n");
        List<Example> dev = GlueTask.SST2.read(glue, Split.DEV);
        assertEquals(2, dev.size());
        assertExample(dev.get(1), "1", "bad .", null, 0);
    }

    @Test
    void labelsAreTrimmedButTextsAreNot() throws IOException {
        write("RTE", "dev.tsv", "index\tsentence1\tsentence2\tlabel", "0\t A \t B \t entailment ");
        assertExample(GlueTask.RTE.read(glue, Split.DEV).get(0), "0", " A ", " B ", 0);
    }

    @Test
    void resultIsUnmodifiable() throws IOException {
        write("SST-2", "dev.tsv", "sentence\tlabel", "ok .\t1");
        List<Example> dev = GlueTask.SST2.read(glue, Split.DEV);
        assertThrows(UnsupportedOperationException.class, () -> dev.add(dev.get(0)));
    }

    // ---------------------------------------------------------------- task metadata

    @Test
    void metadataOfEveryTask() {
        assertEquals(List.of("unacceptable", "acceptable"), GlueTask.COLA.labels());
        assertEquals(List.of("mcc"), GlueTask.COLA.metrics());
        assertEquals(List.of("negative", "positive"), GlueTask.SST2.labels());
        assertEquals(List.of("not_equivalent", "equivalent"), GlueTask.MRPC.labels());
        assertEquals(List.of("f1", "accuracy"), GlueTask.MRPC.metrics());
        assertEquals(List.of("f1", "accuracy"), GlueTask.QQP.metrics());
        assertEquals(List.of(), GlueTask.STSB.labels());
        assertEquals(List.of("pearson", "spearman"), GlueTask.STSB.metrics());
        assertEquals(List.of("contradiction", "entailment", "neutral"), GlueTask.MNLI.labels());
        assertEquals(GlueTask.MNLI.labels(), GlueTask.MNLI_MM.labels());
        assertEquals(List.of("entailment", "not_entailment"), GlueTask.QNLI.labels());
        assertEquals(List.of("entailment", "not_entailment"), GlueTask.RTE.labels());
        assertEquals(List.of("not_entailment", "entailment"), GlueTask.WNLI.labels());
        for (GlueTask t : GlueTask.values()) {
            assertEquals(t == GlueTask.STSB, t.isRegression(), t.name());
            assertEquals(t.metrics().get(0), t.primaryMetric(), t.name());
            if (t != GlueTask.COLA && t != GlueTask.MRPC && t != GlueTask.QQP && t != GlueTask.STSB) {
                assertEquals(List.of("accuracy"), t.metrics(), t.name());
            }
        }
        assertEquals("mcc", GlueTask.COLA.primaryMetric());
        assertEquals("f1", GlueTask.MRPC.primaryMetric());
        assertEquals("pearson", GlueTask.STSB.primaryMetric());
    }

    @Test
    void foldersAndFileNames() {
        assertEquals("SST-2", GlueTask.SST2.folder());
        assertEquals("STS-B", GlueTask.STSB.folder());
        assertEquals("MNLI", GlueTask.MNLI_MM.folder());
        assertEquals("train.tsv", GlueTask.MNLI_MM.fileName(Split.TRAIN));
        assertEquals("dev_matched.tsv", GlueTask.MNLI.fileName(Split.DEV));
        assertEquals("dev_mismatched.tsv", GlueTask.MNLI_MM.fileName(Split.DEV));
        assertEquals("test_matched.tsv", GlueTask.MNLI.fileName(Split.TEST));
        assertEquals("test_mismatched.tsv", GlueTask.MNLI_MM.fileName(Split.TEST));
        assertEquals("dev.tsv", GlueTask.RTE.fileName(Split.DEV));
    }

    @Test
    void byNameAcceptsAliasesCaseInsensitively() {
        assertSame(GlueTask.SST2, Tasks.byName("sst2"));
        assertSame(GlueTask.SST2, Tasks.byName("SST-2"));
        assertSame(GlueTask.STSB, Tasks.byName("sts-b"));
        assertSame(GlueTask.STSB, Tasks.byName("STSB"));
        assertSame(GlueTask.MNLI_MM, Tasks.byName("mnli-mm"));
        assertSame(GlueTask.MNLI_MM, Tasks.byName("mnli_mm"));
        assertSame(GlueTask.MNLI, Tasks.byName("MNLI"));
        assertSame(GlueTask.COLA, Tasks.byName("CoLA"));
        assertSame(GlueTask.RTE, Tasks.byName(" rte "));
        assertEquals("demo", Tasks.byName("Demo").id());
        for (String n : Tasks.names()) {
            assertEquals(n, Tasks.byName(n).id());
        }
        assertEquals(List.of("cola", "sst2", "mrpc", "qqp", "stsb", "mnli", "mnli-mm", "qnli", "rte", "wnli", "demo"),
                Tasks.names());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void unknownTaskNameListsKnownNames() {
        IllegalArgumentException e = fails(() -> Tasks.byName("x"));
        assertEquals("unknown task 'x'; known: cola, sst2, mrpc, qqp, stsb, mnli, mnli-mm, qnli, rte, wnli, demo",
                e.getMessage());
        assertThrows(NullPointerException.class, () -> Tasks.byName(null));
    }

    @Test
    void rowWithTooFewColumns() throws IOException {
        Path f = write("RTE", "dev.tsv", "index\tsentence1\tsentence2\tlabel",
                "0\tA.\tB.\tentailment", "1\tA.\tB.");
        assertContains(fails(() -> GlueTask.RTE.read(glue, Split.DEV)).getMessage(),
                f.toString(), "line 3", "expected at least 4 tab-separated columns", "found 3");
    }

    @Test
    void colaRowWithTooFewColumns() throws IOException {
        Path f = write("CoLA", "train.tsv", "gj04\t1\t\tFine.", "gj04\t1\tNo sentence.");
        assertContains(fails(() -> GlueTask.COLA.read(glue, Split.TRAIN)).getMessage(),
                f.toString(), "line 2", "expected at least 4", "found 3");
    }

    @Test
    void blankLineInTheMiddleIsAnError() throws IOException {
        Path f = write("SST-2", "train.tsv", "sentence\tlabel", "good\t1", "", "bad\t0");
        assertContains(fails(() -> GlueTask.SST2.read(glue, Split.TRAIN)).getMessage(),
                f.toString(), "line 3", "blank line");
    }

    @Test
    void rowWithMoreColumnsThanHeader() throws IOException {
        Path f = write("SST-2", "train.tsv", "sentence\tlabel", "a tab\there\t1");
        assertContains(fails(() -> GlueTask.SST2.read(glue, Split.TRAIN)).getMessage(),
                f.toString(), "line 2", "found 3", "at most 2");
    }

    @Test
    void unknownLabel() throws IOException {
        Path f = write("RTE", "train.tsv", "index\tsentence1\tsentence2\tlabel",
                "0\tA.\tB.\tentailment", "1\tA.\tB.\tmaybe");
        assertContains(fails(() -> GlueTask.RTE.read(glue, Split.TRAIN)).getMessage(),
                f.toString(), "line 3", "unknown label 'maybe'", "[entailment, not_entailment]");
    }

    @Test
    void numericTaskRejectsLabelName() throws IOException {
        Path f = write("SST-2", "dev.tsv", "sentence\tlabel", "fine\tpositive");
        assertContains(fails(() -> GlueTask.SST2.read(glue, Split.DEV)).getMessage(),
                f.toString(), "line 2", "unknown label 'positive'", "[0, 1]");
    }

    @Test
    void mnliDashGoldLabelIsUnknown() throws IOException {
        Path f = write("MNLI", "dev_matched.tsv", "index\tsentence1\tsentence2\tgold_label", "0\tA.\tB.\t-");
        assertContains(fails(() -> GlueTask.MNLI.read(glue, Split.DEV)).getMessage(),
                f.toString(), "line 2", "unknown label '-'", "gold_label");
    }

    @Test
    void nonNumericScore() throws IOException {
        Path f = write("STS-B", "train.tsv", "index\tsentence1\tsentence2\tscore",
                "0\tA.\tB.\t1.5", "1\tA.\tB.\tfive");
        assertContains(fails(() -> GlueTask.STSB.read(glue, Split.TRAIN)).getMessage(),
                f.toString(), "line 3", "score 'five'", "not a number");
        write("STS-B", "dev.tsv", "index\tsentence1\tsentence2\tscore", "0\tA.\tB.\tNaN");
        assertContains(fails(() -> GlueTask.STSB.read(glue, Split.DEV)).getMessage(), "not a number");
    }

    @Test
    void scoreOutsideRange() throws IOException {
        Path f = write("STS-B", "dev.tsv", "index\tsentence1\tsentence2\tscore", "0\tA.\tB.\t7.5");
        assertContains(fails(() -> GlueTask.STSB.read(glue, Split.DEV)).getMessage(),
                f.toString(), "line 2", "outside", "[0, 5]");
    }

    @Test
    void missingHeaderColumnNamesItAndShowsHeader() throws IOException {
        Path f = write("MNLI", "train.tsv", "index\tsentence1\tsentence2\tlabel1", "0\tA.\tB.\tneutral");
        assertContains(fails(() -> GlueTask.MNLI.read(glue, Split.TRAIN)).getMessage(),
                f.toString(), "line 1", "missing header column 'gold_label'",
                "header found: [index, sentence1, sentence2, label1]");
    }

    @Test
    void labelColumnMissingFromDevIsAnError() throws IOException {
        write("SST-2", "dev.tsv", "index\tsentence", "0\tno label here");
        assertContains(fails(() -> GlueTask.SST2.read(glue, Split.DEV)).getMessage(),
                "missing header column 'label'");
    }

    @Test
    void emptyFile() throws IOException {
        Path f = writeRaw("RTE", "dev.tsv", "");
        assertContains(fails(() -> GlueTask.RTE.read(glue, Split.DEV)).getMessage(),
                f.toString(), "empty", "header");
    }

    @Test
    void invalidUtf8NamesLine() throws IOException {
        byte[] head = "sentence\tlabel\nok\t1\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'b', (byte) 0xC3, (byte) 0x28, '\t', '0', '\n'};
        byte[] all = new byte[head.length + bad.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Path f = writeBytes("SST-2", "dev.tsv", all);
        assertContains(fails(() -> GlueTask.SST2.read(glue, Split.DEV)).getMessage(),
                f.toString(), "line 3", "UTF-8");
    }

    @Test
    void missingDataDir() {
        Path missing = glue.resolve("nowhere");
        assertContains(fails(() -> GlueTask.RTE.read(missing, Split.DEV)).getMessage(),
                missing.toString(), "does not exist", "<dataDir>/<Folder>/<split>.tsv", "<dataDir>/RTE/dev.tsv");
        assertContains(fails(() -> GlueTask.RTE.read(null, Split.DEV)).getMessage(),
                "no GLUE data dir", "<dataDir>/<Folder>/<split>.tsv");
    }

    @Test
    void missingTaskFolderListsWhatIsThere() throws IOException {
        write("SST2", "dev.tsv", "sentence\tlabel");
        assertContains(fails(() -> GlueTask.SST2.read(glue, Split.DEV)).getMessage(),
                glue.resolve("SST-2").toString(), "does not exist", "<dataDir>/<Folder>/<split>.tsv",
                "folders found", "[SST2]");
    }

    @Test
    void missingFileListsWhatIsThere() throws IOException {
        write("MNLI", "dev.tsv", "index\tsentence1\tsentence2\tgold_label");
        Path expected = glue.resolve("MNLI").resolve("dev_matched.tsv");
        assertContains(fails(() -> GlueTask.MNLI.read(glue, Split.DEV)).getMessage(),
                expected.toString(), "does not exist", "<dataDir>/<Folder>/<split>.tsv", "[dev.tsv]");
    }

    // ---------------------------------------------------------------- TsvReader details

    @Test
    void tsvReaderKeepsLoneCarriageReturnAndTrailingEmptyFields() {
        byte[] bytes = "a\rb\tc\t\n\uFEFFx\n".getBytes(StandardCharsets.UTF_8);
        try (TsvReader r = TsvReader.of(new ByteArrayInputStream(bytes), "mem")) {
            assertArrayEquals(new String[] {"a\rb", "c", ""}, r.next());
            assertEquals(1, r.line());
            // A BOM is only stripped at the very start of the file.
            assertArrayEquals(new String[] {"\uFEFFx"}, r.next());
            assertEquals(2, r.line());
            assertNull(r.next());
        }
    }

    @Test
    void tsvReaderCountsLinesAcrossBufferRefills() {
        StringBuilder sb = new StringBuilder();
        int rows = 20_000; // > 64 Ki chars, so the buffer refills mid-line
        for (int i = 0; i < rows; i++) {
            sb.append("row ").append(i).append('\t').append(i % 2).append('\n');
        }
        try (TsvReader r = TsvReader.of(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), "m")) {
            String[] row = null;
            for (int i = 0; i < rows; i++) {
                row = r.next();
                assertEquals(i + 1, r.line());
                assertEquals("row " + i, row[0]);
            }
            assertNotNull(row);
            assertNull(r.next());
        }
    }
}
