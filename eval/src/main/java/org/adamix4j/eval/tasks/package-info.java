/**
 * Tasks for evaluation: what a task's labels and metrics are, and how its splits are read.
 *
 * <ul>
 *   <li>{@link org.adamix4j.eval.tasks.Task} is the interface; {@link org.adamix4j.eval.tasks.Example}
 *       one row (class index or regression score, NaN when unlabelled).</li>
 *   <li>{@link org.adamix4j.eval.tasks.GlueTask} reads the GLUE TSVs in the layout of the standard
 *       GLUE download script, {@code <dataDir>/<Folder>/<split>.tsv}. Fields are split on TAB only,
 *       never on quotes, because MRPC texts contain unbalanced {@code "} (RTE, QNLI,
 *       STS-B and CoLA contain quotes too).</li>
 *   <li>{@link org.adamix4j.eval.tasks.DemoTask} is a small synthetic sentiment set on the classpath,
 *       for trying the pipeline without GLUE.</li>
 *   <li>{@link org.adamix4j.eval.tasks.Tasks} maps command-line names (and aliases such as
 *       {@code sst-2}) to tasks.</li>
 * </ul>
 *
 * <p>Malformed input is an {@link java.lang.IllegalArgumentException} whose message names the file,
 * the 1-based line and what was expected: a reader that skips bad rows silently changes row counts
 * and so published scores.
 */
package org.adamix4j.eval.tasks;
