/**
 * Data-to-text generation data: readers for E2E (CSV), WebNLG 2017 (XML) and DART v1.1.1 (JSON, XML) into
 * {@link org.adamix4j.eval.nlg.DataToText}, and writers for the one-hypothesis-per-line and multi-reference files the
 * official scorers read. The metrics are in {@link org.adamix4j.eval.nlg.metrics}.
 */
package org.adamix4j.eval.nlg;
