/**
 * Method-agnostic surgery on imported graphs: selecting sites, splicing sub-graphs in by rewiring the
 * consumers of a site's output, seeded parameter creation, task heads, the loss, and the optimiser.
 * Nothing here knows a specific adaptation method; those live in {@code org.adamix4j.modules}.
 */
package org.adamix4j.graphs;
