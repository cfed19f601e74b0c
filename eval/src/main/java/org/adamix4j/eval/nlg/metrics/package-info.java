/**
 * NLG metrics in pure Java, each documenting the variant it implements: {@link org.adamix4j.eval.nlg.metrics.MtevalBleu}
 * and {@link org.adamix4j.eval.nlg.metrics.Nist} (NIST mteval-v13a, as the E2E scorer), {@link
 * org.adamix4j.eval.nlg.metrics.MultiBleu} (Moses multi-bleu.perl, DART's BLEU), {@link
 * org.adamix4j.eval.nlg.metrics.RougeL} and {@link org.adamix4j.eval.nlg.metrics.CiderD} (coco-caption), an
 * exact+stem {@link org.adamix4j.eval.nlg.metrics.Meteor} variant, and the {@link
 * org.adamix4j.eval.nlg.metrics.NlgScores} facade. Agreement with the official scorers: {@code docs/nlg-metrics.md}.
 */
package org.adamix4j.eval.nlg.metrics;
