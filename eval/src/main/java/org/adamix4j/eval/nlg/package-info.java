/**
 * Data-to-text generation with a causal LM (GPT-2): the {@link org.adamix4j.eval.nlg.DataToText} record,
 * the sequence format with target-only loss ({@link org.adamix4j.eval.nlg.LmFormat}), fine-tuning
 * ({@link org.adamix4j.eval.nlg.GenerationTrainer}), greedy and beam search
 * ({@link org.adamix4j.eval.nlg.Decoder}) and hypothesis files ({@link org.adamix4j.eval.nlg.Generation}).
 */
package org.adamix4j.eval.nlg;
