/**
 * Benchmarks: the cost of AdaMix's consistency pass, length bucketing, and {@code adamix bench peers}
 * (training against a PyTorch peer, inference against ONNX Runtime, memory over long runs), whose
 * measurements each run in their own process ({@link org.adamix4j.bench.BenchChild}, the Python peer).
 */
package org.adamix4j.bench;
