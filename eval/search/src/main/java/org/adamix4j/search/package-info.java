/**
 * Hyperparameter search with Arbiter (arbiter-core 1.0.0-beta7, isolated in this module): search spaces
 * over the AdaMix, LoRA and trainer knobs ({@link org.adamix4j.search.SearchSpace}), their Arbiter
 * parameter space and the candidate → run config mapping ({@link org.adamix4j.search.Knob#apply}), random
 * and grid search run by Arbiter's LocalOptimizationRunner with one trainer run per candidate
 * ({@link org.adamix4j.search.HyperparameterSearch}), the results table, best config and plot
 * ({@link org.adamix4j.search.SearchResults}), and {@code adamix search}.
 */
package org.adamix4j.search;
