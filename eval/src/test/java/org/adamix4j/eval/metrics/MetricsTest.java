package org.adamix4j.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tests for {@link Metrics} and {@link Metric}.
 *
 * <p>"sklearn"/"scipy" in a comment means the value was printed by
 * {@code /usr/bin/python3 -W ignore eval/src/test/python/metrics_expected.py} (scikit-learn 1.2.1, SciPy 1.10.1,
 * NumPy 1.24.2, Debian packages); its full output is in eval/src/test/python/metrics_expected.out. "Hand" means
 * the arithmetic written in the comment. Note that sklearn takes {@code (y_true, y_pred)} while
 * {@link Metrics} takes {@code (predicted, gold)}.
 */
class MetricsTest {

    /** Tolerance for hand-checkable cases whose exact value may differ from double by rounding. */
    private static final double ULP_TOL = 1e-15;
    /** Tolerance when comparing the n = 200 cases against SciPy / sklearn. */
    private static final double REF_TOL = 1e-12;

    // ================================================================== accuracy

    @Nested
    class Accuracy {

        @Test
        void handCase() {
            // Hand: positions 0, 2, 3 match, position 1 (1 vs 2) does not -> 3/4 = 0.75.
            // sklearn accuracy_score([0,2,2,1], [0,1,2,1]) = 0.75
            assertEquals(0.75, Metrics.accuracy(new int[] {0, 1, 2, 1}, new int[] {0, 2, 2, 1}), 0.0);
        }

        @Test
        void perfectAndAllWrong() {
            // Hand: 4/4 = 1.0 and 0/3 = 0.0.
            assertEquals(1.0, Metrics.accuracy(new int[] {3, 1, 4, 1}, new int[] {3, 1, 4, 1}), 0.0);
            assertEquals(0.0, Metrics.accuracy(new int[] {0, 0, 0}, new int[] {1, 2, 1}), 0.0);
        }

        @Test
        void large200() {
            // sklearn accuracy_score(gold=(i*i)%3, pred=(7i+i//5)%3), i=0..199 = 0.41
            // (82 of 200 match; 0.41 is the double nearest 82/200.)
            assertEquals(0.41, Metrics.accuracy(largePred3(), largeGold3()), 0.0);
        }
    }

    // ================================================================== F1

    @Nested
    class F1 {

        @Test
        void handCase() {
            // pred [1,1,0,1,0,0] vs gold [1,0,0,1,1,0]: tp = 2 (pos 0,3), fp = 1 (pos 1), fn = 1 (pos 4).
            // Hand: F1 = 2tp/(2tp+fp+fn) = 4/6 = 2/3.
            // sklearn f1_score([1,0,0,1,1,0], [1,1,0,1,0,0]) = 0.6666666666666666
            assertEquals(2.0 / 3.0, Metrics.f1(new int[] {1, 1, 0, 1, 0, 0}, new int[] {1, 0, 0, 1, 1, 0}), ULP_TOL);
        }

        @Test
        void perfect() {
            // Hand: tp = 2, fp = fn = 0 -> 4/4 = 1.0.
            assertEquals(1.0, Metrics.f1(new int[] {1, 0, 1, 0}, new int[] {1, 0, 1, 0}), 0.0);
        }

        @Test
        void constantZeroPredictionsGiveZero() {
            // Hand: tp = 0, fp = 0, fn = 2 -> 0/(0+0+2) = 0.0 (recall 0, precision undefined).
            // sklearn f1_score([1,0,1,0], [0,0,0,0]) = 0.0
            assertEquals(0.0, Metrics.f1(new int[] {0, 0, 0, 0}, new int[] {1, 0, 1, 0}), 0.0);
        }

        @Test
        void noPositivesAnywhereGivesZeroLikeSklearn() {
            // Hand: tp = fp = fn = 0 -> 0/0 undefined; sklearn's default zero_division yields 0.0.
            // sklearn f1_score([0,0,0,0], [0,0,0,0]) = 0.0 (with UndefinedMetricWarning)
            assertEquals(0.0, Metrics.f1(new int[] {0, 0, 0, 0}, new int[] {0, 0, 0, 0}), 0.0);
        }

        @Test
        void constantOnePredictions() {
            // Hand: pred all 1, gold [1,0,1,0,0]: tp = 2, fp = 3, fn = 0 -> 4/(4+3) = 4/7.
            // sklearn f1_score([1,0,1,0,0], [1,1,1,1,1]) = 0.5714285714285715
            assertEquals(4.0 / 7.0, Metrics.f1(new int[] {1, 1, 1, 1, 1}, new int[] {1, 0, 1, 0, 0}), ULP_TOL);
            assertEquals(0.5714285714285715, Metrics.f1(new int[] {1, 1, 1, 1, 1}, new int[] {1, 0, 1, 0, 0}), ULP_TOL);
        }

        @Test
        void large200() {
            // sklearn f1_score(gold=((i*i+3i)%5<2), pred=((11i+i//3)%5<2)), i=0..199 = 0.4968944099378882
            assertEquals(0.4968944099378882, Metrics.f1(largePred2(), largeGold2()), REF_TOL);
        }

        @Test
        void nonBinaryLabelIsRejectedNamingTheValue() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Metrics.f1(new int[] {0, 1, 2}, new int[] {0, 1, 1}));
            assertTrue(e.getMessage().contains("= 2"), e.getMessage());
            assertTrue(e.getMessage().contains("predicted[2]"), e.getMessage());

            IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                    () -> Metrics.f1(new int[] {0, 1, 1}, new int[] {0, -1, 1}));
            assertTrue(g.getMessage().contains("gold[1] = -1"), g.getMessage());
        }
    }

    // ================================================================== MCC

    @Nested
    class Matthews {

        @Test
        void binaryHandCase() {
            // pred [1,1,0,1,0,0,1,0] vs gold [1,0,0,1,1,0,1,0]: tp = 3, fp = 1, fn = 1, tn = 3.
            // Hand: (tp*tn - fp*fn)/sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn)) = (9-1)/sqrt(4*4*4*4) = 8/16 = 0.5.
            // sklearn matthews_corrcoef([1,0,0,1,1,0,1,0], [1,1,0,1,0,0,1,0]) = 0.5
            assertEquals(0.5, Metrics.matthews(new int[] {1, 1, 0, 1, 0, 0, 1, 0},
                    new int[] {1, 0, 0, 1, 1, 0, 1, 0}), 0.0);
        }

        @Test
        void binaryNegativeAndPerfect() {
            // Hand: pred [0,1,1,0] vs gold [1,0,0,1]: tp = tn = 0, fp = fn = 2
            //   -> (0 - 4)/sqrt(2*2*2*2) = -4/4 = -1.0.  sklearn = -1.0
            assertEquals(-1.0, Metrics.matthews(new int[] {0, 1, 1, 0}, new int[] {1, 0, 0, 1}), 0.0);
            // Hand: tp = tn = 2, fp = fn = 0 -> 4/sqrt(2*2*2*2) = 1.0.
            assertEquals(1.0, Metrics.matthews(new int[] {1, 0, 0, 1}, new int[] {1, 0, 0, 1}), 0.0);
        }

        @Test
        void binaryGenuineZero() {
            // pred [1,0,1,1,0,1] vs gold [0,1,1,0,0,1]: tp = 2, fp = 2, fn = 1, tn = 1.
            // Hand: (2*1 - 2*1)/sqrt(4*3*3*2) = 0/sqrt(72) = 0.0 (denominator non-zero).
            // sklearn matthews_corrcoef([0,1,1,0,0,1], [1,0,1,1,0,1]) = 0.0
            assertEquals(0.0, Metrics.matthews(new int[] {1, 0, 1, 1, 0, 1}, new int[] {0, 1, 1, 0, 0, 1}), 0.0);
        }

        @Test
        void threeClassHandCase() {
            // pred [0,1,2,2,1,0] vs gold [0,1,2,1,2,0]: s = 6, c = 4 correct,
            // predicted counts p = (2,2,2), gold counts t = (2,2,2).
            // Hand (Gorodkin R_K): (c*s - sum p_k t_k)/sqrt((s^2 - sum p_k^2)(s^2 - sum t_k^2))
            //   = (24 - 12)/sqrt((36 - 12)(36 - 12)) = 12/24 = 0.5.
            // sklearn matthews_corrcoef([0,1,2,1,2,0], [0,1,2,2,1,0]) = 0.5
            assertEquals(0.5, Metrics.matthews(new int[] {0, 1, 2, 2, 1, 0}, new int[] {0, 1, 2, 1, 2, 0}), 0.0);
        }

        @Test
        void threeClassUnbalancedCounts() {
            // pred [0,0,1,2,2,2] vs gold [0,1,1,2,2,0]: s = 6, c = 4 (pos 0,2,3,4);
            // predicted counts p = (2,1,3), gold counts t = (2,2,2).
            // Hand: sum p_k t_k = 4+2+6 = 12; sum p_k^2 = 4+1+9 = 14; sum t_k^2 = 12
            //   -> (24 - 12)/sqrt((36 - 14)(36 - 12)) = 12/sqrt(528) = 0.5222329678670935.
            // sklearn matthews_corrcoef([0,1,1,2,2,0], [0,0,1,2,2,2]) = 0.5222329678670935
            assertEquals(12.0 / Math.sqrt(528.0),
                    Metrics.matthews(new int[] {0, 0, 1, 2, 2, 2}, new int[] {0, 1, 1, 2, 2, 0}), ULP_TOL);
        }

        @Test
        void threeClassPermutedErrors() {
            // pred [0,2,1,0,1,2] vs gold [0,1,2,0,1,2]: s = 6, c = 4 (pos 0,3,4,5); p = (2,2,2), t = (2,2,2).
            // Hand: (24 - 12)/sqrt(24*24) = 0.5.  sklearn = 0.5
            assertEquals(0.5, Metrics.matthews(new int[] {0, 2, 1, 0, 1, 2}, new int[] {0, 1, 2, 0, 1, 2}), 0.0);
        }

        @Test
        void arbitraryLabelValuesAreJustClasses() {
            // Same confusion structure as threeClassHandCase with labels 0->5, 1->-3, 2->7.
            // sklearn matthews_corrcoef([5,-3,7,-3,7,5], [5,-3,7,7,-3,5]) = 0.5
            assertEquals(0.5, Metrics.matthews(new int[] {5, -3, 7, 7, -3, 5}, new int[] {5, -3, 7, -3, 7, 5}), 0.0);
        }

        @Test
        void constantPredictionsGiveZeroLikeSklearn() {
            // Hand: pred all 1 -> p = (0, 4) in classes (0, 1): s^2 - sum p^2 = 16 - 16 = 0 -> denominator 0 -> 0.0.
            // sklearn matthews_corrcoef([1,0,1,0], [1,1,1,1]) = 0.0
            assertEquals(0.0, Metrics.matthews(new int[] {1, 1, 1, 1}, new int[] {1, 0, 1, 0}), 0.0);
            // Even all-correct constant predictions: denominator 9 - 9 = 0 -> 0.0.
            // sklearn matthews_corrcoef([2,2,2], [2,2,2]) = 0.0
            assertEquals(0.0, Metrics.matthews(new int[] {2, 2, 2}, new int[] {2, 2, 2}), 0.0);
        }

        @Test
        void large200ThreeClassAndBinary() {
            // sklearn matthews_corrcoef(gold=(i*i)%3, pred=(7i+i//5)%3), i=0..199 = 0.018726723104467567
            assertEquals(0.018726723104467567, Metrics.matthews(largePred3(), largeGold3()), REF_TOL);
            // sklearn matthews_corrcoef(gold=((i*i+3i)%5<2), pred=((11i+i//3)%5<2)) = 0.15801269536374749
            assertEquals(0.15801269536374749, Metrics.matthews(largePred2(), largeGold2()), REF_TOL);
        }
    }

    // ================================================================== Pearson

    @Nested
    class Pearson {

        @Test
        void handCase() {
            // x = [1,2,3,4], y = [2,1,4,3]; means 2.5, 2.5; dx = (-1.5,-0.5,0.5,1.5), dy = (-0.5,-1.5,1.5,0.5).
            // Hand: Sxy = 0.75+0.75+0.75+0.75 = 3, Sxx = Syy = 5 -> r = 3/sqrt(25) = 0.6.
            // scipy pearsonr([1,2,3,4],[2,1,4,3]) = 0.6
            assertEquals(0.6, Metrics.pearson(d(1, 2, 3, 4), d(2, 1, 4, 3)), ULP_TOL);
        }

        @Test
        void negative() {
            // y = [3,4,1,2]: dy = (0.5,1.5,-1.5,-0.5); Hand: Sxy = -0.75*4 = -3, Sxx = Syy = 5 -> -0.6.
            // scipy pearsonr([1,2,3,4],[3,4,1,2]) = -0.6
            assertEquals(-0.6, Metrics.pearson(d(1, 2, 3, 4), d(3, 4, 1, 2)), ULP_TOL);
        }

        @Test
        void perfectLinear() {
            // Hand: y = 2x + 1 exactly -> r = 1; y = -3x -> r = -1.  scipy pearsonr([1..5],[3,5,7,9,11]) = 1.0
            assertEquals(1.0, Metrics.pearson(d(1, 2, 3, 4, 5), d(3, 5, 7, 9, 11)), ULP_TOL);
            assertEquals(-1.0, Metrics.pearson(d(1, 2, 3, 4, 5), d(-3, -6, -9, -12, -15)), ULP_TOL);
        }

        @Test
        void constantInputGivesNaNLikeScipy() {
            // Hand: Syy = 0 -> 0/0.  scipy pearsonr([1,2,3],[5,5,5]) = nan (ConstantInputWarning)
            assertTrue(Double.isNaN(Metrics.pearson(d(1, 2, 3), d(5, 5, 5))));
            assertTrue(Double.isNaN(Metrics.pearson(d(5, 5, 5), d(1, 2, 3))));
            assertTrue(Double.isNaN(Metrics.pearson(d(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1), d(1, 2, 3, 4, 5, 6, 7))));
            // A single element is constant too.
            assertTrue(Double.isNaN(Metrics.pearson(d(1), d(2))));
        }

        @Test
        void extremeMagnitudesDoNotOverflow() {
            // Hand: same data as handCase scaled by 1e300 and 1e-300 -> r = 0.6 (scale invariance);
            // a naive sum of squares would overflow to infinity.
            // scipy pearsonr([1e300,2e300,3e300,4e300],[2e-300,1e-300,4e-300,3e-300]) = 0.6
            assertEquals(0.6, Metrics.pearson(d(1e300, 2e300, 3e300, 4e300), d(2e-300, 1e-300, 4e-300, 3e-300)),
                    1e-14);
        }

        @Test
        void large200NearZero() {
            // scipy pearsonr(sin(1.3i), cos(0.7i)+0.1*(i%7)), i=0..199 = 0.007590292921347448
            assertEquals(0.007590292921347448, Metrics.pearson(largeX(), largeY()), REF_TOL);
        }

        @Test
        void large200Correlated() {
            // scipy pearsonr(x, x+0.3cos(0.7i)+0.01i), x = sin(1.3i), i=0..199 = 0.7517447008446296
            assertEquals(0.7517447008446296, Metrics.pearson(largeX(), largeYc()), REF_TOL);
            // scipy pearsonr(x, -(x+0.3cos(0.7i)+0.01i)) = -0.7517447008446296
            assertEquals(-0.7517447008446296, Metrics.pearson(largeX(), negate(largeYc())), REF_TOL);
        }

        @Test
        void large200IntegerTies() {
            // scipy pearsonr((13i)%10, (7i)%6+i%4), i=0..199 = 0.06465360523691555
            assertEquals(0.06465360523691555, Metrics.pearson(largeXt(), largeYt()), REF_TOL);
        }
    }

    // ================================================================== Spearman

    @Nested
    class Spearman {

        @Test
        void averageRanksForTies() {
            // Hand: [1,2,2,3,4] -> the two 2s share ranks 2 and 3 -> 2.5 each.
            assertArrayEquals(d(1, 2.5, 2.5, 4, 5), Metrics.averageRanks(d(1, 2, 2, 3, 4)), 0.0);
            // Hand: [3,1,3,3] -> 1 gets rank 1; the three 3s share ranks 2,3,4 -> 3 each.
            assertArrayEquals(d(3, 1, 3, 3), Metrics.averageRanks(d(3, 1, 3, 3)), 0.0);
        }

        @Test
        void tiesHandCase() {
            // x = [1,2,2,3,4] -> ranks [1,2.5,2.5,4,5]; y = [2,1,3,3,5] -> ranks [2,1,3.5,3.5,5]; both means 3.
            // dx = (-2,-0.5,-0.5,1,2), dy = (-1,-2,0.5,0.5,2).
            // Hand: Sxy = 2+1-0.25+0.5+4 = 7.25; Sxx = 4+0.25+0.25+1+4 = 9.5; Syy = 1+4+0.25+0.25+4 = 9.5
            //   -> rho = 7.25/9.5 = 29/38.
            // scipy spearmanr([1,2,2,3,4],[2,1,3,3,5]) = 0.7631578947368421
            assertEquals(29.0 / 38.0, Metrics.spearman(d(1, 2, 2, 3, 4), d(2, 1, 3, 3, 5)), ULP_TOL);
            assertEquals(0.7631578947368421, Metrics.spearman(d(1, 2, 2, 3, 4), d(2, 1, 3, 3, 5)), ULP_TOL);
        }

        @Test
        void negative() {
            // x = [1..5] ranks [1..5]; y = [10,8,9,3,1] ranks [5,3,4,2,1]; no ties.
            // Hand: d = (-4,-1,-1,2,4), sum d^2 = 38 -> rho = 1 - 6*38/(5*(25-1)) = 1 - 228/120 = -0.9.
            // scipy spearmanr([1,2,3,4,5],[10,8,9,3,1]) = -0.8999999999999998
            assertEquals(-0.9, Metrics.spearman(d(1, 2, 3, 4, 5), d(10, 8, 9, 3, 1)), ULP_TOL);
        }

        @Test
        void monotoneNonLinearIsPerfect() {
            // Hand: y = x^3 is strictly increasing -> identical ranks -> rho = 1; reversed -> -1.
            // scipy spearmanr([1,2,3,4,5],[1,8,27,64,125]) = 0.9999999999999999
            assertEquals(1.0, Metrics.spearman(d(1, 2, 3, 4, 5), d(1, 8, 27, 64, 125)), ULP_TOL);
            assertEquals(-1.0, Metrics.spearman(d(1, 2, 3, 4, 5), d(125, 64, 27, 8, 1)), ULP_TOL);
        }

        @Test
        void constantInputGivesNaNLikeScipy() {
            // Hand: all ranks of y equal (2,2,2) -> Syy = 0 -> 0/0.
            // scipy spearmanr([1,2,3],[4,4,4]) = nan (ConstantInputWarning)
            assertTrue(Double.isNaN(Metrics.spearman(d(1, 2, 3), d(4, 4, 4))));
            assertTrue(Double.isNaN(Metrics.spearman(d(4, 4, 4), d(1, 2, 3))));
            assertTrue(Double.isNaN(Metrics.spearman(d(7), d(8))));
        }

        @Test
        void negativeZeroTiesWithZero() {
            // Hand: x = [-0.0, 0.0, 1, 2] -> ranks [1.5,1.5,3,4]; y ranks [1,2,3,4]; means 2.5.
            //   dx = (-1,-1,0.5,1.5), dy = (-1.5,-0.5,0.5,1.5): Sxy = 1.5+0.5+0.25+2.25 = 4.5,
            //   Sxx = 1+1+0.25+2.25 = 4.5, Syy = 5 -> 4.5/sqrt(22.5) = 0.9486832980505139.
            // scipy spearmanr([-0.0,0.0,1,2],[1,2,3,4]) = 0.9486832980505139
            assertEquals(0.9486832980505139, Metrics.spearman(d(-0.0, 0.0, 1, 2), d(1, 2, 3, 4)), ULP_TOL);
        }

        @Test
        void large200NearZero() {
            // scipy spearmanr(sin(1.3i), cos(0.7i)+0.1*(i%7)), i=0..199 = 0.006595664891622292
            assertEquals(0.006595664891622292, Metrics.spearman(largeX(), largeY()), REF_TOL);
        }

        @Test
        void large200Correlated() {
            // scipy spearmanr(x, x+0.3cos(0.7i)+0.01i), x = sin(1.3i), i=0..199 = 0.7507192679816997
            assertEquals(0.7507192679816997, Metrics.spearman(largeX(), largeYc()), REF_TOL);
            // scipy spearmanr(x, -(x+0.3cos(0.7i)+0.01i)) = -0.7507192679816997
            assertEquals(-0.7507192679816997, Metrics.spearman(largeX(), negate(largeYc())), REF_TOL);
        }

        @Test
        void large200ManyTies() {
            // scipy spearmanr((13i)%10, (7i)%6+i%4), i=0..199 = 0.06016909012635989
            // (x takes 10 distinct values, y 9, so nearly every value is tied.)
            assertEquals(0.06016909012635989, Metrics.spearman(largeXt(), largeYt()), REF_TOL);
        }
    }

    // ================================================================== input validation

    @Nested
    class Validation {

        @Test
        void lengthMismatchNamesBothLengths() {
            assertMismatch(() -> Metrics.accuracy(new int[] {1, 2, 3}, new int[] {1, 2, 3, 4}));
            assertMismatch(() -> Metrics.f1(new int[] {1, 0, 1}, new int[] {1, 0, 1, 0}));
            assertMismatch(() -> Metrics.matthews(new int[] {1, 0, 1}, new int[] {1, 0, 1, 0}));
            assertMismatch(() -> Metrics.pearson(d(1, 2, 3), d(1, 2, 3, 4)));
            assertMismatch(() -> Metrics.spearman(d(1, 2, 3), d(1, 2, 3, 4)));
            for (Metric m : Metric.values()) {
                assertMismatch(() -> m.compute(d(1, 0, 1), d(1, 0, 1, 0)));
            }
        }

        @Test
        void emptyInputIsRejected() {
            assertNoExamples(() -> Metrics.accuracy(new int[0], new int[0]));
            assertNoExamples(() -> Metrics.f1(new int[0], new int[0]));
            assertNoExamples(() -> Metrics.matthews(new int[0], new int[0]));
            assertNoExamples(() -> Metrics.pearson(new double[0], new double[0]));
            assertNoExamples(() -> Metrics.spearman(new double[0], new double[0]));
            for (Metric m : Metric.values()) {
                assertNoExamples(() -> m.compute(new double[0], new double[0]));
            }
        }

        @Test
        void nanIsRejected() {
            assertThrows(IllegalArgumentException.class, () -> Metrics.pearson(d(1, Double.NaN, 3), d(1, 2, 3)));
            assertThrows(IllegalArgumentException.class, () -> Metrics.pearson(d(1, 2, 3), d(1, 2, Double.NaN)));
            assertThrows(IllegalArgumentException.class, () -> Metrics.spearman(d(1, Double.NaN, 3), d(1, 2, 3)));
            assertThrows(IllegalArgumentException.class, () -> Metrics.spearman(d(1, 2, 3), d(Double.NaN, 2, 3)));
            for (Metric m : Metric.values()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> m.compute(d(1, 0, Double.NaN), d(1, 0, 1)));
                assertTrue(e.getMessage().contains("NaN"), m + ": " + e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> m.compute(d(1, 0, 1), d(Double.NaN, 0, 1)));
            }
        }

        @Test
        void infinityIsRejectedByCorrelations() {
            assertThrows(IllegalArgumentException.class,
                    () -> Metrics.pearson(d(1, Double.POSITIVE_INFINITY, 3), d(1, 2, 3)));
            assertThrows(IllegalArgumentException.class,
                    () -> Metrics.spearman(d(1, 2, 3), d(1, Double.NEGATIVE_INFINITY, 3)));
        }

        @Test
        void nullIsRejected() {
            assertThrows(NullPointerException.class, () -> Metrics.accuracy(null, new int[] {1}));
            assertThrows(NullPointerException.class, () -> Metrics.pearson(d(1), null));
            assertThrows(NullPointerException.class, () -> Metric.MCC.compute(null, d(1)));
        }

        @Test
        void inputsAreNotModified() {
            double[] x = d(3, 1, 2, 2);
            double[] y = d(1e300, 5, 4, 4);
            Metrics.spearman(x, y);
            Metrics.pearson(x, y);
            assertArrayEquals(d(3, 1, 2, 2), x, 0.0);
            assertArrayEquals(d(1e300, 5, 4, 4), y, 0.0);
        }

        private void assertMismatch(Executable call) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
        }

        private void assertNoExamples(Executable call) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().contains("no examples"), e.getMessage());
        }
    }

    // ================================================================== Metric enum

    @Nested
    class MetricEnum {

        @Test
        void ids() {
            assertEquals("accuracy", Metric.ACCURACY.id());
            assertEquals("f1", Metric.F1.id());
            assertEquals("mcc", Metric.MCC.id());
            assertEquals("pearson", Metric.PEARSON.id());
            assertEquals("spearman", Metric.SPEARMAN.id());
        }

        @Test
        void computeDelegatesToMetrics() {
            // Same hand cases as above, passed as doubles.
            assertEquals(0.75, Metric.ACCURACY.compute(d(0, 1, 2, 1), d(0, 2, 2, 1)), 0.0);
            assertEquals(2.0 / 3.0, Metric.F1.compute(d(1, 1, 0, 1, 0, 0), d(1, 0, 0, 1, 1, 0)), ULP_TOL);
            assertEquals(0.5, Metric.MCC.compute(d(0, 1, 2, 2, 1, 0), d(0, 1, 2, 1, 2, 0)), 0.0);
            assertEquals(0.6, Metric.PEARSON.compute(d(1, 2, 3, 4), d(2, 1, 4, 3)), ULP_TOL);
            assertEquals(29.0 / 38.0, Metric.SPEARMAN.compute(d(1, 2, 2, 3, 4), d(2, 1, 3, 3, 5)), ULP_TOL);
            // Correlations accept non-integral scores.
            assertEquals(0.6, Metric.PEARSON.compute(d(0.5, 1, 1.5, 2), d(2, 1, 4, 3)), ULP_TOL);
        }

        @ParameterizedTest
        @EnumSource(value = Metric.class, names = {"ACCURACY", "F1", "MCC"})
        void classificationRejectsNonIntegralValues(Metric m) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.compute(d(1, 0.5, 1), d(1, 0, 1)));
            assertTrue(e.getMessage().contains("0.5"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.compute(d(1, 0, 1), d(1, 0, 1.0000001)));
            assertThrows(IllegalArgumentException.class,
                    () -> m.compute(d(1, Double.POSITIVE_INFINITY, 1), d(1, 0, 1)));
            assertThrows(IllegalArgumentException.class, () -> m.compute(d(1, 3e9, 1), d(1, 0, 1)));
        }

        @Test
        void f1ThroughEnumRejectsNonBinaryNamingValue() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Metric.F1.compute(d(0, 1, 2), d(0, 1, 1)));
            assertTrue(e.getMessage().contains("2"), e.getMessage());
        }

        @Test
        void constantCasesThroughEnum() {
            assertEquals(0.0, Metric.MCC.compute(d(1, 1, 1, 1), d(1, 0, 1, 0)), 0.0);
            assertEquals(0.0, Metric.F1.compute(d(0, 0, 0, 0), d(1, 0, 1, 0)), 0.0);
            assertTrue(Double.isNaN(Metric.PEARSON.compute(d(2, 2, 2), d(1, 2, 3))));
            assertTrue(Double.isNaN(Metric.SPEARMAN.compute(d(2, 2, 2), d(1, 2, 3))));
        }

        @Test
        void negativeZeroIsClassZero() {
            // -0.0 is integral and equals 0; predictions [1,-0.0] vs gold [1,0] are all correct.
            assertEquals(1.0, Metric.ACCURACY.compute(d(1, -0.0), d(1, 0)), 0.0);
        }
    }

    // ================================================================== reproducible data, i = 0..199

    /** x_i = sin(1.3 i). */
    private static double[] largeX() {
        double[] v = new double[200];
        for (int i = 0; i < 200; i++) {
            v[i] = Math.sin(i * 1.3);
        }
        return v;
    }

    /** y_i = cos(0.7 i) + 0.1 * (i % 7). */
    private static double[] largeY() {
        double[] v = new double[200];
        for (int i = 0; i < 200; i++) {
            v[i] = Math.cos(i * 0.7) + 0.1 * (i % 7);
        }
        return v;
    }

    /** yc_i = x_i + 0.3 cos(0.7 i) + 0.01 i. */
    private static double[] largeYc() {
        double[] x = largeX();
        double[] v = new double[200];
        for (int i = 0; i < 200; i++) {
            v[i] = x[i] + 0.3 * Math.cos(i * 0.7) + 0.01 * i;
        }
        return v;
    }

    /** xt_i = (13 i) % 10, integer-valued. */
    private static double[] largeXt() {
        double[] v = new double[200];
        for (int i = 0; i < 200; i++) {
            v[i] = (i * 13) % 10;
        }
        return v;
    }

    /** yt_i = (7 i) % 6 + i % 4, integer-valued. */
    private static double[] largeYt() {
        double[] v = new double[200];
        for (int i = 0; i < 200; i++) {
            v[i] = (i * 7) % 6 + (i % 4);
        }
        return v;
    }

    /** gold3_i = (i*i) % 3. */
    private static int[] largeGold3() {
        int[] v = new int[200];
        for (int i = 0; i < 200; i++) {
            v[i] = (i * i) % 3;
        }
        return v;
    }

    /** pred3_i = (7 i + i / 5) % 3 (integer division). */
    private static int[] largePred3() {
        int[] v = new int[200];
        for (int i = 0; i < 200; i++) {
            v[i] = (i * 7 + i / 5) % 3;
        }
        return v;
    }

    /** gold2_i = 1 if (i*i + 3 i) % 5 < 2 else 0. */
    private static int[] largeGold2() {
        int[] v = new int[200];
        for (int i = 0; i < 200; i++) {
            v[i] = (i * i + 3 * i) % 5 < 2 ? 1 : 0;
        }
        return v;
    }

    /** pred2_i = 1 if (11 i + i / 3) % 5 < 2 else 0 (integer division). */
    private static int[] largePred2() {
        int[] v = new int[200];
        for (int i = 0; i < 200; i++) {
            v[i] = (i * 11 + i / 3) % 5 < 2 ? 1 : 0;
        }
        return v;
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    private static double[] d(double... values) {
        return values;
    }
}
