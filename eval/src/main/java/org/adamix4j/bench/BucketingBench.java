package org.adamix4j.bench;

import org.adamix4j.eval.tasks.Example;
import org.adamix4j.eval.tasks.Tasks;
import org.adamix4j.eval.tasks.Task;
import org.adamix4j.eval.train.Batches;
import org.adamix4j.graphs.TaskHead;
import org.adamix4j.modules.PeftModel;
import org.adamix4j.modules.mixture.MixtureConfig;
import org.adamix4j.onnx.EmbeddedModel;
import org.adamix4j.onnx.OnnxImporter;
import org.adamix4j.tokenize.EncodedText;
import org.adamix4j.tokenize.TransformerTokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * What dynamic padding with length bucketing saves on SST-2: padded tokens per epoch over the whole
 * training set, and measured training throughput (AdaMix, one pass per step) over the same number of
 * steps with and without bucketing, batches padded to their own longest example in both.
 */
public final class BucketingBench {
    private BucketingBench() {
    }

    public static void run(Path glue, int steps, int batchSize, PrintStream out) {
        Task sst2 = Tasks.byName("sst2");
        List<Example> train = sst2.read(glue, Task.Split.TRAIN);
        List<EncodedText> texts = new ArrayList<>();
        try (TransformerTokenizer tok = TransformerTokenizer.load(EmbeddedModel.ALL_MINILM_L6_V2.tokenizer(), 128)) {
            for (Example e : train) texts.add(tok.encodeOne(e.textA(), null));
        }
        int[] lengths = texts.stream().mapToInt(EncodedText::length).toArray();
        long real = 0;
        for (int l : lengths) real += l;
        List<int[]> bucketed = Batches.epoch(lengths, batchSize, true, new Random(1));
        List<int[]> shuffled = Batches.epoch(lengths, batchSize, false, new Random(1));
        long padB = Batches.paddedTokens(bucketed, lengths);
        long padS = Batches.paddedTokens(shuffled, lengths);
        out.printf("SST-2 train: %,d sentences, %,d real tokens; padded tokens per epoch (batch %d): bucketed %,d (x%.2f), "
                + "shuffled %,d (x%.2f); ratio %.2f%n", train.size(), real, batchSize, padB, padB / (double) real, padS,
                padS / (double) real, padS / (double) padB);
        PeftModel model = PeftModel.builder()
                .setBase(OnnxImporter.builder().setModel(EmbeddedModel.ALL_MINILM_L6_V2.onnx()).build().importModel())
                .setMethod(MixtureConfig.standard().withConsistencyWeight(0)).setHead(TaskHead.classification(2)).build();
        double b = throughput(model, texts, bucketed, steps);
        double s = throughput(model, texts, shuffled, steps);
        out.printf("training throughput over %d steps: bucketed %.1f ex/s, shuffled %.1f ex/s: speed-up x%.2f%n", steps, b, s, b / s);
    }

    private static double throughput(PeftModel model, List<EncodedText> texts, List<int[]> batches, int steps) {
        SplittableRandom rng = new SplittableRandom(1);
        long examples = 0;
        long t0 = 0;
        for (int i = 0; i <= steps; i++) {
            if (i == 1) t0 = System.nanoTime(); // step 0 builds the gradient function: not timed
            int[] idx = batches.get(i);
            List<EncodedText> batch = new ArrayList<>();
            for (int k : idx) batch.add(texts.get(k));
            INDArray labels = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.INT64, idx.length);
            model.step(EncodedText.pad(batch), labels, rng);
            if (i > 0) examples += idx.length;
        }
        return examples / ((System.nanoTime() - t0) / 1e9);
    }
}
