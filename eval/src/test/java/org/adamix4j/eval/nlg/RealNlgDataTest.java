package org.adamix4j.eval.nlg;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads the real E2E, WebNLG and DART files in /work/shared/data and checks the counts stated in
 * shared/data/README.md and the SOURCE.md files. Skips (printing why) when a file is absent.
 */
class RealNlgDataTest {
    private static int refs(List<DataToText> d) {
        return d.stream().mapToInt(x -> x.references().size()).sum();
    }

    @Test
    void e2eCountsMatchSourceMd() {
        // e2e/SOURCE.md: rows (= references) and distinct MRs
        List<DataToText> train = NlgData.e2e(SharedData.require("e2e/trainset.csv"));
        assertEquals(42_061, refs(train));
        assertEquals(4_862, train.size());
        List<DataToText> dev = NlgData.e2e(SharedData.require("e2e/devset.csv"));
        assertEquals(4_672, refs(dev));
        assertEquals(547, dev.size());
        List<DataToText> test = NlgData.e2e(SharedData.require("e2e/testset_w_refs.csv"));
        assertEquals(4_693, refs(test));
        assertEquals(630, test.size());
        List<DataToText> mrOnly = NlgData.e2e(SharedData.require("e2e/testset.csv"));
        assertEquals(630, mrOnly.size());
        assertEquals(0, refs(mrOnly));
        // grouping in order of first appearance, references in file order (first two rows of devset.csv)
        assertEquals("name[Alimentum], area[city centre], familyFriendly[no]", dev.get(0).source());
        assertEquals("There is a place in the city centre, Alimentum, that is not family-friendly.",
                dev.get(0).references().get(0));
        assertEquals("In the city centre there is a venue name Alimentum, this is not a family-friendly venue.",
                dev.get(0).references().get(1));
        // the test MRs are the same 630, in the same order
        for (int i = 0; i < 630; i++) {
            assertEquals(mrOnly.get(i).source(), test.get(i).source(), "test MR " + i);
        }
    }

    @Test
    void e2eMetricsExampleReferencesAreTheFirstTenDevInputs() {
        // e2e-metrics-example-inputs/devel-conc.txt is the scorer's multi-reference format for the first 10 dev MRs
        List<List<String>> conc = NlgData.readMultiReference(
                SharedData.require("e2e-metrics-oracle/e2e-metrics-example-inputs/devel-conc.txt"));
        List<DataToText> dev = NlgData.e2e(SharedData.require("e2e/devset.csv"));
        assertEquals(10, conc.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(dev.get(i).references(), conc.get(i), "input " + i);
        }
        assertEquals(10, NlgData.readLines(
                SharedData.require("e2e-metrics-oracle/e2e-metrics-example-inputs/baseline-output.txt")).size());
    }

    @Test
    void webnlgCountsMatchSourceMd() {
        List<DataToText> all = NlgData.webnlg(SharedData.require("webnlg/challenge2017/test/testdata_with_lex.xml"));
        assertEquals(1_862, all.size());
        assertEquals(4_928, refs(all));
        List<DataToText> unseen = NlgData.webnlg(SharedData.require("webnlg/challenge2017/test/testdata_unseen_with_lex.xml"));
        assertEquals(891, unseen.size());
        assertEquals(2_433, refs(unseen));
        List<DataToText> noLex = NlgData.webnlg(SharedData.require("webnlg/challenge2017/test/testdata_no_lex.xml"));
        assertEquals(1_862, noLex.size());
        assertEquals(0, refs(noLex));
        // first entry of testdata_with_lex.xml: one modified triple, two lexicalisations
        assertEquals("Abilene_Regional_Airport | cityServed | Abilene,_Texas", all.get(0).source());
        assertEquals(List.of("Abilene, Texas is served by the Abilene regional airport.",
                "Abilene Regional Airport serves the city of Abilene in Texas."), all.get(0).references());
        assertTrue(all.stream().allMatch(d -> !d.references().isEmpty()));
    }

    @Test
    void dartCountsMatchSourceMd() {
        List<DataToText> test = NlgData.dart(SharedData.require("dart/dart-v1.1.1-full-test.xml"));
        assertEquals(5_097, test.size());
        // SOURCE.md counts 12,552 <lex> elements; one of them (eid Id116, lid Id2) is an empty <lex/>, skipped
        assertEquals(12_551, refs(test));
        List<DataToText> devJson = NlgData.dart(SharedData.require("dart/dart-v1.1.1-full-dev.json"));
        assertEquals(2_768, devJson.size());
        assertEquals(6_980, refs(devJson));
        List<DataToText> devXml = NlgData.dart(SharedData.require("dart/dart-v1.1.1-full-dev.xml"));
        assertEquals(2_768, devXml.size());
        assertEquals(6_980, refs(devXml));
        for (int i = 0; i < devXml.size(); i++) {
            assertEquals(devJson.get(i).references(), devXml.get(i).references(), "dev entry " + i + " JSON vs XML");
        }
        // first dev entry: two triples, one annotation
        assertEquals("Mars Hill College | JOINED | 1973" + NlgData.TRIPLE_SEPARATOR
                + "Mars Hill College | LOCATION | Mars Hill, North Carolina", devJson.get(0).source());
        assertEquals(List.of("A school from Mars Hill, North Carolina, joined in 1973."), devJson.get(0).references());
        assertEquals("Hawaii Five-O | NOTES | Episode: The Flight of the Jewels" + NlgData.TRIPLE_SEPARATOR
                + "[TABLECONTEXT] | [TITLE] | Jeff Daniels" + NlgData.TRIPLE_SEPARATOR
                + "[TABLECONTEXT] | TITLE | Hawaii Five-O", test.get(0).source());
    }
}
