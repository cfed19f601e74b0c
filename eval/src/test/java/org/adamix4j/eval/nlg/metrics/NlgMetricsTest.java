package org.adamix4j.eval.nlg.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small cases with independently obtained expected values; each test says where its number comes from.
 */
class NlgMetricsTest {
    // Lower-case, punctuation-free text, so mteval's tokenisation equals a whitespace split.
    static final List<String> HYPS = List.of("the cat sat on the mat", "a dog runs in the park today");
    static final List<List<String>> REFS = List.of(
            List.of("the cat is on the mat", "there is a cat on the mat"),
            List.of("a dog runs in a park", "the dog is running in the park today"));

    @Test
    void bleuEqualsNltkCorpusBleu() {
        // NLTK 3.8 (Debian python3-nltk): corpus_bleu(list_of_references, hypotheses) with default weights
        // (0.25 x 4), no smoothing, closest reference length -> 0.588419141623274. No order has zero matches,
        // so mteval's smoothing does not apply and the two definitions coincide.
        assertEquals(0.588419141623274, MtevalBleu.score(HYPS, REFS), 1e-12);
        assertEquals(58.8419141623274, MultiBleu.score(HYPS, REFS), 1e-10);
    }

    @Test
    void bleuLowercasesAndTokenisesLikeMteval() {
        // "The CAT sat." tokenises to [the, cat, sat, .]: identical to the reference -> BLEU 1
        assertEquals(1.0, MtevalBleu.score(List.of("The CAT sat."), List.of(List.of("the cat sat ."))), 1e-12);
        // case preserved (-c): "The" != "the", "CAT" != "cat" -> unigram matches 2/4 = sat and "."
        double cased = MtevalBleu.score(List.of("The CAT sat."), List.of(List.of("the cat sat .")), true);
        assertTrue(cased < 0.5, "cased BLEU " + cased);
        // multi-bleu is case-sensitive and does not tokenise: "sat." is one token
        assertEquals(0.0, MultiBleu.score(List.of("The CAT sat."), List.of(List.of("the cat sat ."))), 0);
    }

    @Test
    void mtevalBleuSmoothing() {
        // hypothesis "a b", reference "a c": 1-grams 1/2; 2-grams 0/1 -> smoothing 1/(2*1); 3- and 4-grams:
        // no hypothesis n-grams -> log 1 = 0. BLEU = exp((ln(1/2) + ln(1/2) + 0 + 0)/4 + 0) = exp(ln(1/4)/4)
        assertEquals(Math.exp(Math.log(0.25) / 4), MtevalBleu.score(List.of("a b"), List.of(List.of("a c"))), 1e-12);
    }

    @Test
    void nistEqualsOwnPythonOfMtevalFormula() {
        // /usr/bin/python3, code written for this test from mteval-v13a's formulas (info weights from the 4
        // references, 5-grams, nsys = 2, length ratio 26/27 -> penalty 0.99401) -> 4.203677498558765
        assertEquals(4.203677498558765, Nist.score(HYPS, REFS), 1e-9);
        // uneven reference counts (2 and 1): reference words 6 + 8 + 8 = 22 over the mean reference count 1.5
        // -> 14.667; hypothesis words 12; ratio 0.8182, penalty 0.84385; same own python code -> 2.6249404933550484
        assertEquals(2.6249404933550484, Nist.score(List.of("the cat sat on the mat", "a dog runs in the park"),
                List.of(List.of("the cat is on the mat", "there is a cat on the mat today"),
                        List.of("the dog is running in the park today"))), 1e-9);
        assertEquals(1.0, Nist.lengthPenalty(1.0), 0);
        assertEquals(0.5, Nist.lengthPenalty(1 / 1.5), 1e-12);
    }

    @Test
    void mtevalTokenizer() {
        // by hand from mteval's rules: ' and - are not split; "," before a space and "." after a letter are;
        // "-" after a digit is; "3.5" keeps its period; ASCII lower-casing only (É stays upper case)
        assertEquals(List.of("it's", "£20", "-", "25", ",", "3.5", "stars", ".", "École"),
                MtevalTokenizer.tokenize("It's £20-25, 3.5 stars. ÉCOLE"));
        assertEquals(List.of("a", "&", "b", "\"", "c", "\""), MtevalTokenizer.tokenize("a &amp; b &quot;c&quot;"));
        assertEquals(List.of(), MtevalTokenizer.tokenize("   "));
    }

    @Test
    void cocoTokenizer() {
        // expected as CoreNLP's PTBTokenizer would split, then COCO's punctuation removal, by hand
        assertEquals(List.of("it", "'s", "a", "family-friendly", "place", "is", "n't", "it", "near", "the", "eagle"),
                CocoTokenizer.tokenize("It's a family-friendly place, isn't it? (Near 'The Eagle'.)"));
        assertEquals(List.of("£", "20-25", "3.5", "stars", "we", "can", "not"),
                CocoTokenizer.tokenize("£20-25... 3.5 stars - we cannot!"));
    }

    @Test
    void rougeLByHand() {
        // hyp a b c d, ref a x c y z: LCS 2 -> P 2/4, R 2/5, F = 2.44*0.5*0.4/(0.4 + 1.44*0.5) = 0.435714...
        assertEquals(0.488 / 1.12, RougeL.score(List.of("a b c d"), List.of(List.of("a x c y z"))), 1e-12);
        // COCO takes max P and max R over references separately: ref "a b" gives R 1, ref "a b c d e f g h"
        // gives P 1, so F = 1 although no single reference matches fully
        assertEquals(1.0, RougeL.score(List.of("a b c d"), List.of(List.of("a b", "a b c d e f g h"))), 1e-12);
        // corpus = mean over inputs; an empty hypothesis scores 0
        assertEquals(0.5, RougeL.score(List.of("a b", ""), List.of(List.of("a b"), List.of("c"))), 1e-12);
    }

    @Test
    void ciderDEqualsOwnPythonOfCocoFormula() {
        // /usr/bin/python3, a re-implementation written for this test of coco-caption's CiderScorer formulas
        // (df over the references of the corpus, log N, clipped tf-idf, sigma 6 penalty on bigram counts, x10)
        List<String> h = List.of("a cat sat on the mat", "a dog in the park", "the bird sings");
        List<List<String>> r = List.of(List.of("a cat is on the mat", "the cat sat"),
                List.of("a dog runs in the park", "dogs in a park"),
                List.of("a bird sings", "the bird is singing loudly"));
        assertEquals(3.0291944059340588, CiderD.score(h, r), 1e-9);
        assertEquals(3.100564196196936, CiderD.score(h.subList(0, 2), r.subList(0, 2)), 1e-9);
    }

    @Test
    void meteorByHand() {
        // "the cats sat" vs "the cat sat": the, sat exact; cats~cat by stem (weight 0.6); one chunk covering
        // everything -> no fragmentation penalty. "the" is a function word (weight 1-delta = 0.25), the others
        // content (0.75): P = R = (0.25 + 0.6*0.75 + 0.75) / 1.75, Fmean = P.
        double p = (0.25 + 0.6 * 0.75 + 0.75) / 1.75;
        assertEquals(p, Meteor.score(List.of("the cats sat"), List.of(List.of("the cat sat"))), 1e-12);
        // "sat the cat" vs "the cat sat": 3 exact matches in 2 chunks -> frag 2/3, penalty 0.6 (2/3)^0.2, P = R = 1
        assertEquals(1 - 0.6 * Math.pow(2.0 / 3, 0.2),
                Meteor.score(List.of("sat the cat"), List.of(List.of("the cat sat"))), 1e-12);
        // the best reference is used
        assertEquals(1.0, Meteor.score(List.of("a b"), List.of(List.of("x y", "a b"))), 1e-12);
        assertEquals(0.0, Meteor.score(List.of(""), List.of(List.of("a b"))), 0);
    }

    @Test
    void stemmerEqualsNltkSnowball() {
        // NLTK 3.8 nltk.stem.snowball.EnglishStemmer().stem(w) for each word
        String expected = "caresses=caress ponies=poni ties=tie caress=caress cats=cat feed=feed agreed=agre "
                + "plastered=plaster bled=bled motoring=motor sing=sing conflated=conflat troubled=troubl sized=size "
                + "hopping=hop tanned=tan falling=fall hissing=hiss fizzed=fizz failing=fail filing=file happy=happi "
                + "sky=sky generously=generous communism=communism arsenal=arsenal running=run "
                + "restaurants=restaur friendly=friend families=famili priced=price located=locat serves=serv "
                + "serving=serv rated=rate customers=custom cheaply=cheapli nationality=nation dying=die skies=sky "
                + "news=news cried=cri gently=gentl succeeded=succeed proceeding=proceed hopeful=hope "
                + "goodness=good formalize=formal electrical=electr adjustable=adjust dependent=depend adoption=adopt";
        for (String pair : expected.split(" ")) {
            String[] wv = pair.split("=");
            assertEquals(wv[1], EnglishStemmer.stem(wv[0]), wv[0]);
        }
    }

    @Test
    void corpusErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MtevalBleu.score(List.of(), List.of()));
        assertTrue(e.getMessage().contains("empty corpus"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CiderD.score(List.of("a", "b"), List.of(List.of("a"))));
        assertTrue(e.getMessage().contains("2 hypotheses but 1 reference sets"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nist.score(List.of("a"), List.of(List.of())));
        assertTrue(e.getMessage().contains("input 1 has no reference"), e.getMessage());
        // an all-empty output scores 0 everywhere (documented; mteval itself would divide by zero)
        NlgScores s = NlgScores.compute(List.of("", ""), List.of(List.of("a b"), List.of("c d")));
        assertEquals(0.0, s.bleu(), 0);
        assertEquals(0.0, s.nist(), 0);
        assertEquals(0.0, s.meteor(), 0);
        assertEquals(0.0, s.rougeL(), 0);
        assertEquals(0.0, s.cider(), 0);
    }
}
