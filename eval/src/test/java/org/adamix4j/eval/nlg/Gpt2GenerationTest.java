package org.adamix4j.eval.nlg;

import org.adamix4j.cli.Main;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.lora.LoraConfig;
import org.adamix4j.modules.mixture.MixtureLoraConfig;
import org.adamix4j.onnx.Gpt2Tiny;
import org.adamix4j.onnx.SiteKind;
import org.adamix4j.tokenize.CausalLmTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generation on the tiny GPT-2 fixture: tokenizer, target-only loss format, greedy search against
 * PyTorch's greedy continuation and against an unbatched argmax recomputation, beam size 1 = greedy,
 * no-repeat n-grams, and an end-to-end run (train AdaMix-LoRA a few steps, decode, write hypotheses)
 * through the library and through the CLI.
 */
class Gpt2GenerationTest {
    static CausalLmTokenizer tok;

    /** E2E-style pairs over the fixture's vocabulary (unknown words would become [UNK]). */
    static final List<DataToText> DATA = List.of(
            new DataToText("name[The Eagle], eatType[pub], food[French], area[riverside]",
                    List.of("The Eagle is a pub near the riverside that serves French food.",
                            "There is a French pub in the riverside area called The Eagle.")),
            new DataToText("name[The Mill], eatType[coffee shop], priceRange[cheap]",
                    List.of("The Mill is a cheap coffee shop.")),
            new DataToText("name[Zizzi], food[Italian], customer rating[high]",
                    List.of("Zizzi serves Italian food and has a high customer rating.")),
            new DataToText("name[Cotto], eatType[restaurant], familyFriendly[yes]",
                    List.of("Cotto is a family friendly restaurant.", "Cotto is a kid friendly restaurant.")),
            new DataToText("name[Aromi], area[city centre], food[Chinese]",
                    List.of("Aromi serves Chinese food in the city centre.")),
            new DataToText("name[Giraffe], eatType[pub], near[The Rice Boat]",
                    List.of("Giraffe is a pub near The Rice Boat.")));

    @BeforeAll
    static void load() {
        tok = CausalLmTokenizer.load(Gpt2Tiny.tokenizer());
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    private static PeftModel loraModel(long seed, double bScale) {
        PeftModel m = PeftModel.builder().setBase(Gpt2Tiny.importModel())
                .setMethod(new LoraConfig(4, 32, 0.0, EnumSet.of(SiteKind.QUERY, SiteKind.VALUE), Set.of()))
                .setHead(TaskHead.causalLm(Gpt2Tiny.VOCAB)).optSeed(seed).build();
        java.util.Random rnd = new java.util.Random(seed);
        for (String p : m.trainableParameters()) {
            if (!p.endsWith("/B")) continue;
            INDArray b = m.sameDiff().getArrForVarName(p);
            float[] v = new float[(int) b.length()];
            for (int i = 0; i < v.length; i++) v[i] = (float) ((rnd.nextDouble() - 0.5) * bScale);
            b.assign(Nd4j.create(v, b.shape(), 'c'));
        }
        return m;
    }

    @Test
    void tokenizerAndFormatPutTheLossOnTargetTokensOnly() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(Gpt2Tiny.expected().toFile());
        long[] prompt = LmFormat.standard(64).prompt(tok, "name [ The Eagle ], eatType [ pub ]");
        long[] python = new long[expected.path("greedy_prompt").size()];
        for (int i = 0; i < python.length; i++) python[i] = expected.path("greedy_prompt").get(i).asLong();
        assertArrayEquals(python, prompt, "word-level ids as the generator script assigned them");
        assertEquals(240, tok.eosId());
        assertEquals("The Eagle is a pub", tok.decode(tok.encode("The Eagle is a pub")));

        LmFormat.Sequence s = LmFormat.standard(64).sequence(tok, "name[The Mill]", "The Mill is cheap.");
        // name [ The Mill ] || The Mill is cheap . EOS
        assertEquals(12, s.ids().length);
        assertEquals(6, s.targetStart());
        LmFormat.Batch b = LmFormat.batch(List.of(s, LmFormat.standard(64).sequence(tok, "name[Zizzi]", "Zizzi.")));
        assertEquals(11, b.inputs().length());
        long[] labels = b.labels()[0];
        for (int j = 0; j < 5; j++) assertEquals(-1, labels[j], "no loss while reading the source, position " + j);
        for (int j = 5; j < 11; j++) assertEquals(s.ids()[j + 1], labels[j], "next target token at " + j);
        assertEquals(tok.eosId(), labels[10]);
        long[] short_ = b.labels()[1]; // name [ Zizzi ] || Zizzi . EOS: 8 tokens, 7 inputs, then padding
        assertEquals(List.of(-1L, -1L, -1L, -1L, tok.encode("Zizzi")[0], tok.encode(".")[0], tok.eosId(), -1L, -1L),
                Arrays.stream(short_).boxed().toList().subList(0, 9));
    }

    @Test
    void greedyMatchesPyTorchOnTheBaseModel() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(Gpt2Tiny.expected().toFile());
        long[] prompt = new long[expected.path("greedy_prompt").size()];
        for (int i = 0; i < prompt.length; i++) prompt[i] = expected.path("greedy_prompt").get(i).asLong();
        List<Long> torch = new ArrayList<>();
        for (JsonNode t : expected.path("greedy_10")) {
            if (t.asLong() == tok.eosId()) break; // our search stops at EOS
            torch.add(t.asLong());
        }
        PeftModel m = loraModel(1, 0.0); // B = 0: the base model
        m.merge();
        long[] ours = Decoder.of(m, tok.eosId(), 8).generate(List.of(prompt), DecodingConfig.greedy(10)).get(0);
        assertEquals(torch, Arrays.stream(ours).boxed().toList());
    }

    @Test
    void batchedGreedyEqualsUnbatchedArgmaxAndBeamOfOneEqualsGreedy() {
        PeftModel m = loraModel(2, 0.4);
        m.merge();
        List<long[]> prompts = new ArrayList<>();
        for (DataToText d : DATA.subList(0, 4)) prompts.add(LmFormat.standard(64).prompt(tok, d.source()));
        Decoder decoder = Decoder.of(m, tok.eosId(), 16);
        DecodingConfig greedy = new DecodingConfig(1, 1.0, 0, 8);
        List<long[]> batched = decoder.generate(prompts, greedy);
        for (int i = 0; i < prompts.size(); i++) {
            // one sequence at a time, full-sequence logits, argmax at the last position
            long[] seq = prompts.get(i);
            List<Long> expected = new ArrayList<>();
            for (int step = 0; step < 8; step++) {
                INDArray logits = m.logits(Decoder.rightPadded(List.of(seq)));
                long next = logits.get(NDArrayIndex.point(0), NDArrayIndex.point(seq.length - 1), NDArrayIndex.all())
                        .argMax().getLong(0);
                if (next == tok.eosId()) break;
                expected.add(next);
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = next;
            }
            assertEquals(expected, Arrays.stream(batched.get(i)).boxed().toList(), "prompt " + i);
        }
        List<long[]> beam1 = decoder.generate(prompts, new DecodingConfig(1, 0.8, 0, 8));
        List<long[]> beam1Ban = decoder.generate(prompts, new DecodingConfig(1, 0.8, 2, 8));
        // beam search with K = 1 through the beam code path: the greedy result
        for (int i = 0; i < prompts.size(); i++) assertArrayEquals(batched.get(i), beam1.get(i));
        List<long[]> viaBeam = new Decoder(seqs -> {
            List<double[]> out = new ArrayList<>();
            INDArray l = m.logits(Decoder.rightPadded(seqs));
            for (int i = 0; i < seqs.size(); i++) {
                out.add(l.get(NDArrayIndex.point(i), NDArrayIndex.point(seqs.get(i).length - 1), NDArrayIndex.all()).toDoubleVector());
            }
            return out;
        }, tok.eosId()).generate(prompts, new DecodingConfig(1, 0.8, 2, 8));
        for (int i = 0; i < prompts.size(); i++) assertArrayEquals(beam1Ban.get(i), viaBeam.get(i));
    }

    @Test
    void noRepeatNgramNeverRepeats() {
        PeftModel m = loraModel(3, 0.4);
        m.merge();
        List<long[]> prompts = List.of(LmFormat.standard(64).prompt(tok, DATA.get(1).source()),
                LmFormat.standard(64).prompt(tok, DATA.get(2).source()));
        Decoder decoder = Decoder.of(m, tok.eosId(), 16);
        boolean repeatsWithout = false;
        for (DecodingConfig c : List.of(new DecodingConfig(1, 1.0, 0, 16))) {
            List<long[]> out = decoder.generate(prompts, c);
            for (int i = 0; i < prompts.size(); i++) repeatsWithout |= repeats(concat(prompts.get(i), out.get(i)), 2);
        }
        assertTrue(repeatsWithout, "the random fixture repeats bigrams when nothing forbids it (so the check can fail)");
        for (DecodingConfig c : List.of(new DecodingConfig(1, 1.0, 2, 16), new DecodingConfig(3, 0.8, 2, 16))) {
            List<long[]> out = decoder.generate(prompts, c);
            for (int i = 0; i < prompts.size(); i++) {
                assertFalse(repeats(concat(prompts.get(i), out.get(i)), c.noRepeatNgramSize()),
                        c + " prompt " + i + ": " + Arrays.toString(out.get(i)));
            }
        }
    }

    @Test
    void adaMixLoraTrainsDecodesAndWritesHypotheses(@TempDir Path dir) throws Exception {
        GenerationTrainConfig config = new GenerationTrainConfig(
                new MixtureLoraConfig(4, 4, 32, 0.1, EnumSet.of(SiteKind.QUERY, SiteKind.VALUE), 100),
                6, 0, 4, 5e-3, 2, 0.01, 1.0, 64, 42);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        GenerationTrainer.Result r = GenerationTrainer.run(config, Gpt2Tiny.importModel(), tok, DATA, dir.resolve("run"),
                new PrintStream(log, true));
        List<Double> l = r.losses();
        assertEquals(6 * 2, l.size(), "8 pairs in batches of 4, 6 epochs");
        // The training loss (CE + 100 · KL, one random routing per step) is noisy; the target-token CE at
        // inference is what training lowers. Before training the model is the base (B = 0).
        double before = GenerationTrainer.targetTokenLoss(loraModel(1, 0.0), tok, DATA, 64, 8);
        double after = GenerationTrainer.targetTokenLoss(r.model(), tok, DATA, 64, 8);
        System.out.printf("AdaMix-LoRA on the tiny GPT-2 (%.0f s): training losses %s; target-token CE at inference %.4f -> %.4f%n",
                r.seconds(), l, before, after);
        assertTrue(after < before - 0.05, "training lowers the target-token loss (measured 7.216 -> 7.113): " + before + " -> " + after);
        assertTrue(Files.readAllLines(dir.resolve("run/train.jsonl")).size() == l.size());
        assertTrue(Files.isRegularFile(dir.resolve("run/adapter/adapter_model.safetensors")));

        List<String> hyps = Generation.generate(r.model(), tok, DATA, LmFormat.standard(64), new DecodingConfig(3, 0.8, 4, 20), 4,
                new PrintStream(log, true));
        assertFalse(r.model().isMerged(), "generation merges for decoding and unmerges after");
        Path out = dir.resolve("hyp.txt");
        Generation.write(hyps, out);
        List<String> lines = Files.readAllLines(out);
        assertEquals(DATA.size(), lines.size(), "one hypothesis per input");
        System.out.println("hypotheses: " + lines);
        assertTrue(lines.stream().anyMatch(s -> !s.isBlank()), "some text was generated");
    }

    @Test
    void cliTrainsAndGenerates(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("train.txt");
        StringBuilder b = new StringBuilder();
        for (DataToText d : DATA) for (String ref : d.references()) b.append(d.source()).append("||").append(ref).append('\n');
        Files.writeString(data, b.toString());
        Path run = dir.resolve("run");
        int code = Main.run("train", "--task", "e2e", "--method", "adamix-lora", "--model", Gpt2Tiny.onnx().toString(),
                "--tokenizer", Gpt2Tiny.tokenizer().toString(), "--data", data.toString(), "--output", run.toString(),
                "--max-steps", "2", "--batch-size", "4", "--experts", "2", "--lr", "1e-3", "--max-length", "64");
        assertEquals(0, code);
        assertEquals(2, Files.readAllLines(run.resolve("train.jsonl")).size());
        Path hyp = dir.resolve("hyp.txt");
        code = Main.run("generate", "--model", Gpt2Tiny.onnx().toString(), "--tokenizer", Gpt2Tiny.tokenizer().toString(),
                "--checkpoint", run.resolve("adapter").toString(), "--input", data.toString(), "--out", hyp.toString(),
                "--beam-size", "2", "--max-new-tokens", "6", "--max-length", "64");
        assertEquals(0, code);
        assertEquals(DATA.size(), Files.readAllLines(hyp).size(), "one line per distinct source");
        // bad input: no tokenizer for a generation task; nothing is written
        Path none = dir.resolve("none");
        assertEquals(2, Main.run("train", "--task", "e2e", "--model", Gpt2Tiny.onnx().toString(), "--data", data.toString(),
                "--output", none.toString()));
        assertFalse(Files.exists(none));
    }

    /**
     * The first 30 rows of the real E2E devset.csv (found as ../../shared/data or ../../../shared/data from the module
     * dir), else the in-code pairs written as an E2E CSV: train through the CLI on the CSV, generate with --score and
     * --refs-out, check the hypotheses and scores files, and check the pairing by scoring the first reference of each
     * input (taken from --refs-out) against the CSV with the scorer: BLEU must be exactly 1.
     */
    @Test
    void cliTrainsOnE2eCsvGeneratesAndScores(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("e2e-slice.csv");
        Path real = null;
        for (String root : List.of("../../shared/data", "../../../shared/data")) {
            Path p = Path.of(root, "e2e", "devset.csv");
            if (Files.isRegularFile(p)) {
                real = p;
                break;
            }
        }
        List<String> rows;
        if (real != null) {
            List<String> all = Files.readAllLines(real);
            rows = all.subList(1, 31); // every devset row is one line with a quoted MR
            Files.writeString(csv, all.get(0) + "\n" + String.join("\n", rows) + "\n");
            System.out.println("E2E slice: first 30 rows of " + real.toAbsolutePath().normalize());
        } else {
            System.out.println("E2E slice: no shared/data/e2e/devset.csv found; using the in-code pairs");
            rows = new ArrayList<>();
            for (DataToText d : DATA) for (String ref : d.references()) rows.add('"' + d.source() + "\",\"" + ref + '"');
            Files.writeString(csv, "mr,ref\n" + String.join("\n", rows) + "\n");
        }
        // independent of NlgData: the distinct quoted MRs of the rows, in order
        List<String> mrs = rows.stream().map(r -> r.substring(1, r.indexOf("\","))).distinct().toList();

        Path run = dir.resolve("run");
        ByteArrayOutputStream trainLog = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(trainLog, true));
        int code;
        try {
            code = Main.run("train", "--task", "e2e", "--method", "adamix-lora", "--model", Gpt2Tiny.onnx().toString(),
                    "--tokenizer", Gpt2Tiny.tokenizer().toString(), "--data", csv.toString(), "--output", run.toString(),
                    "--max-steps", "2", "--batch-size", "4", "--experts", "2", "--lr", "1e-3", "--max-length", "64");
        } finally {
            System.setOut(stdout);
        }
        System.out.print(trainLog);
        assertEquals(0, code);
        assertTrue(trainLog.toString().contains("on " + rows.size() + " pairs (" + mrs.size() + " inputs)"),
                "every (MR, reference) row is one training pair: " + trainLog);
        assertEquals(2, Files.readAllLines(run.resolve("train.jsonl")).size());

        Path hyp = dir.resolve("out/hyp.txt");
        Path refsOut = dir.resolve("out/refs.txt");
        code = Main.run("generate", "--model", Gpt2Tiny.onnx().toString(), "--tokenizer", Gpt2Tiny.tokenizer().toString(),
                "--checkpoint", run.resolve("adapter").toString(), "--input", csv.toString(), "--out", hyp.toString(),
                "--beam-size", "2", "--max-new-tokens", "6", "--max-length", "64", "--score", "--refs-out", refsOut.toString());
        assertEquals(0, code);
        assertEquals(mrs.size(), Files.readAllLines(hyp).size(), "one hypothesis per distinct MR");
        List<List<String>> refs = NlgData.readMultiReference(refsOut);
        assertEquals(mrs.size(), refs.size());
        assertEquals(rows.size(), refs.stream().mapToInt(List::size).sum(), "every reference row written once");

        JsonNode scores = new ObjectMapper().readTree(dir.resolve("out/hyp.txt.scores.json").toFile());
        System.out.println("scores of the tiny model's hypotheses: " + scores);
        assertEquals(mrs.size(), scores.path("inputs").asInt());
        assertEquals(rows.size(), scores.path("references").asInt());
        for (String m : List.of("BLEU", "NIST", "METEOR", "ROUGE_L", "CIDEr")) {
            assertTrue(scores.path(m).isNumber() && Double.isFinite(scores.path(m).asDouble()), m + " present and finite");
            assertTrue(scores.path(m).asDouble() >= 0, m + " >= 0");
        }
        for (String m : List.of("BLEU", "METEOR", "ROUGE_L")) assertTrue(scores.path(m).asDouble() <= 1, m + " <= 1");
        assertTrue(scores.path("CIDEr").asDouble() <= 10, "CIDEr-D <= 10");
        assertTrue(Files.readString(dir.resolve("out/hyp.txt.scores.md")).contains("| BLEU | NIST |"));
        // --refs with the multi-reference file generate wrote: the same decoding scored the same way
        Path hyp2 = dir.resolve("out2/hyp.txt");
        code = Main.run("generate", "--model", Gpt2Tiny.onnx().toString(), "--tokenizer", Gpt2Tiny.tokenizer().toString(),
                "--checkpoint", run.resolve("adapter").toString(), "--input", csv.toString(), "--out", hyp2.toString(),
                "--beam-size", "2", "--max-new-tokens", "6", "--max-length", "64", "--refs", refsOut.toString());
        assertEquals(0, code);
        assertEquals(Files.readAllLines(hyp), Files.readAllLines(hyp2), "decoding is deterministic");
        JsonNode scores2 = new ObjectMapper().readTree(dir.resolve("out2/hyp.txt.scores.json").toFile());
        for (String m : List.of("BLEU", "NIST", "METEOR", "ROUGE_L", "CIDEr")) {
            assertEquals(scores.path(m).asDouble(), scores2.path(m).asDouble(), 0.0, m + ": --refs refs.txt = --score");
        }

        // pairing: the first reference of each input, in generate's order, scored against the CSV by the scorer
        Path self = dir.resolve("self/hyp.txt");
        Files.createDirectories(self.getParent());
        Files.writeString(self, String.join("\n", refs.stream().map(r -> r.get(0)).toList()) + "\n");
        assertEquals(0, Main.run("score", "--hyp", self.toString(), "--refs", csv.toString(), "--out", self.getParent().toString()));
        JsonNode selfScores = new ObjectMapper().readTree(dir.resolve("self/scores.json").toFile());
        assertEquals(1.0, selfScores.path("BLEU").asDouble(), 1e-12, "references scored against themselves");
        // and a shifted pairing is not 1 (so the check can fail)
        List<String> shifted = new ArrayList<>(refs.stream().map(r -> r.get(0)).toList());
        java.util.Collections.rotate(shifted, 1);
        Files.writeString(self, String.join("\n", shifted) + "\n");
        assertEquals(0, Main.run("score", "--hyp", self.toString(), "--refs", csv.toString(), "--out", self.getParent().toString()));
        double bleuShifted = new ObjectMapper().readTree(dir.resolve("self/scores.json").toFile()).path("BLEU").asDouble();
        System.out.printf("self-scored BLEU %.4f; with the pairing shifted by one %.4f%n", selfScores.path("BLEU").asDouble(), bleuShifted);
        assertTrue(bleuShifted < 0.99, "misaligned references score below 1: " + bleuShifted);

        // an unknown extension names the file and the accepted formats
        Path odd = dir.resolve("data.tsv");
        Files.writeString(odd, "x\ty\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            code = Main.run("train", "--task", "e2e", "--model", Gpt2Tiny.onnx().toString(), "--tokenizer",
                    Gpt2Tiny.tokenizer().toString(), "--data", odd.toString(), "--output", dir.resolve("none").toString());
        } finally {
            System.setErr(stderr);
        }
        assertEquals(2, code);
        assertTrue(err.toString().contains(odd.toString()) && err.toString().contains("--format e2e|webnlg|dart|pairs"), err.toString());
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean repeats(long[] seq, int n) {
        Set<List<Long>> seen = new HashSet<>();
        for (int i = 0; i + n <= seq.length; i++) {
            List<Long> g = new ArrayList<>();
            for (int j = 0; j < n; j++) g.add(seq[i + j]);
            if (!seen.add(g)) return true;
        }
        return false;
    }
}
