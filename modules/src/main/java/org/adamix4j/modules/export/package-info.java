/**
 * Export of served models into ONNX: {@link org.adamix4j.modules.export.OnnxExport} writes a merged or
 * plain-adapter model with its task head back into the source ONNX file, for ONNX Runtime and other
 * runtimes. Format and provenance: {@code docs/checkpoint-format.md}.
 */
package org.adamix4j.modules.export;
