package org.adamix4j.onnx.rewrite;

import onnx.Onnx.ModelProto;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ordered list of ONNX rewrites applied before samediff-import-onnx sees a model. Order matters:
 * constants must be initializers before rules read them, and names must be sanitized before the
 * MatMul rewrite derives new names from them.
 */
public final class OnnxRewritePass {
    private final List<OnnxRewriteRule> rules;

    public OnnxRewritePass(List<OnnxRewriteRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules every import uses. */
    public static OnnxRewritePass standard() {
        return new OnnxRewritePass(List.of(
                new ConstantsToInitializers(),
                new SanitizeNames(),
                new BoolInitializersViaFloat(),
                new GemmAsMatMulAdd(),
                new ExplicitDefaultAttributes(),
                new PositiveReduceAxes(),
                new SquareAsMul(),
                new GeluFromScaledInput(),
                new ShapeGatherAsVector(),
                new SplitAsSlices(),
                new FlattenMatMul(),
                new WhereAsArithmetic(),
                new ExpandBoolViaFloat(),
                new WhereExpandScalars(),
                new CumSumViaFloat(),
                new ConstantOfShapeAsExpand(),
                new NotViaArithmetic()));
    }

    public List<OnnxRewriteRule> rules() {
        return rules;
    }

    /** Rule names and versions, e.g. "sanitize-names@1,..."; part of the import cache key. */
    public String fingerprint() {
        return rules.stream().map(r -> r.name() + "@" + r.version()).collect(Collectors.joining(","));
    }

    /** Applies every rule in order; returns the rewritten model and how often each rule fired. */
    public Result apply(ModelProto model) {
        OnnxGraph graph = OnnxGraph.of(model);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (OnnxRewriteRule rule : rules) counts.put(rule.name(), rule.apply(graph));
        graph.pruneUnused();
        return new Result(graph.toModel(), Map.copyOf(counts));
    }

    /** A rewritten model and the number of places each rule rewrote. */
    public record Result(ModelProto model, Map<String, Integer> counts) {
    }
}
