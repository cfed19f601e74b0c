/**
 * Training runs: the config of a run, the trainer loop (AdamW, warmup and linear decay, global-norm
 * clipping, per-epoch evaluation, resumable checkpoints), length-bucketed batching, and the files a
 * run leaves behind.
 */
package org.adamix4j.eval.train;
