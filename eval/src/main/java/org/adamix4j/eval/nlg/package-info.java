/**
 * Data-to-text generation with a causal LM (GPT-2): the {@link org.adamix4j.eval.nlg.DataToText} record,
 * the sequence format with target-only loss ({@link org.adamix4j.eval.nlg.LmFormat}), fine-tuning
 * ({@link org.adamix4j.eval.nlg.GenerationTrainer}), greedy and beam search
 * ({@link org.adamix4j.eval.nlg.Decoder}) and hypothesis files ({@link org.adamix4j.eval.nlg.Generation}).
 * Data for it: readers for E2E (CSV), WebNLG 2017 (XML) and DART v1.1.1 (JSON, XML) and writers for the
 * one-hypothesis-per-line and multi-reference files the official scorers read ({@link org.adamix4j.eval.nlg.NlgData}).
 * The metrics are in {@link org.adamix4j.eval.nlg.metrics}.
 */
package org.adamix4j.eval.nlg;
