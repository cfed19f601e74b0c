package org.adamix4j.graphs;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Loshchilov &amp; Hutter) as PyTorch's {@code torch.optim.AdamW}: decoupled weight decay
 * {@code p -= lr·wd·p}, then the bias-corrected Adam step. Parameters in {@code noDecay} (biases,
 * LayerNorm) get no weight decay. Updates arrays in place.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Set<String> noDecay;
    private final Map<String, INDArray> m = new HashMap<>();
    private final Map<String, INDArray> v = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    public AdamW(double beta1, double beta2, double eps, double weightDecay, Set<String> noDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0)) throw new IllegalArgumentException("AdamW eps must be > 0, got " + eps);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("AdamW weight decay must be >= 0, got " + weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.noDecay = Set.copyOf(noDecay);
    }

    /** PyTorch's defaults: β (0.9, 0.999), ε 1e-8, the given weight decay. */
    public static AdamW standard(double weightDecay, Set<String> noDecay) {
        return new AdamW(0.9, 0.999, 1e-8, weightDecay, noDecay);
    }

    /**
     * One step: for every parameter with a gradient, update it in place. Parameters with no gradient
     * this step are not touched (and their moments not decayed): a parameter that was never used has
     * no state.
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            String name = e.getKey();
            INDArray p = params.get(name);
            if (p == null) throw new IllegalArgumentException("gradient for unknown parameter '" + name + "'");
            INDArray g = e.getValue();
            INDArray mi = m.computeIfAbsent(name, k -> Nd4j.zerosLike(p));
            INDArray vi = v.computeIfAbsent(name, k -> Nd4j.zerosLike(p));
            int t = steps.merge(name, 1, Integer::sum);
            if (weightDecay > 0 && !noDecay.contains(name)) p.muli(1 - lr * weightDecay);
            mi.muli(beta1).addi(g.mul(1 - beta1));
            vi.muli(beta2).addi(g.mul(g).muli(1 - beta2));
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            INDArray denom = Transforms.sqrt(vi.div(bc2), false).addi(eps);
            p.subi(mi.div(bc1).divi(denom).muli(lr));
        }
    }

    /** The optimiser's state (first and second moments, step counts) for checkpointing: "m/<name>", "v/<name>", "t/<name>". */
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = new java.util.TreeMap<>();
        m.forEach((k, a) -> out.put("m/" + k, a));
        v.forEach((k, a) -> out.put("v/" + k, a));
        steps.forEach((k, t) -> out.put("t/" + k, Nd4j.scalar((float) t).reshape(1)));
        return out;
    }

    /** Restores what {@link #state()} returned. */
    public void load(Map<String, INDArray> state) {
        m.clear();
        v.clear();
        steps.clear();
        state.forEach((k, a) -> {
            String name = k.substring(2);
            switch (k.substring(0, 2)) {
                case "m/" -> m.put(name, a.dup());
                case "v/" -> v.put(name, a.dup());
                case "t/" -> steps.put(name, a.getInt(0));
                default -> throw new IllegalArgumentException("unknown optimiser state entry '" + k + "'");
            }
        });
    }
}
