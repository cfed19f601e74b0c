#!/usr/bin/python3
"""Independent check of the exported fixtures (onnx 1.12 has no onnx.reference).

A minimal numpy interpreter for exactly the opset-11 ops these graphs use runs each .onnx file
and compares with (1) the stored <name>.expected.json and (2) the torch model at another
batch/sequence size (3 x 11) to exercise the dynamic axes.
Usage: /usr/bin/python3 check_fixtures.py [DIR]
"""
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

_erf = np.vectorize(math.erf, otypes=[np.float64])


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def softmax11(x, axis):  # opset < 13: coerce to 2-D at `axis`
    axis = axis % x.ndim
    shp = x.shape
    x2 = x.reshape(int(np.prod(shp[:axis])), -1)
    e = np.exp(x2 - x2.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).reshape(shp)


def run(model, feeds):
    env = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    env.update(feeds)
    for n in model.graph.node:
        a = attrs(n)
        x = [env[i] if i else None for i in n.input]
        op = n.op_type
        if op == "Constant":
            y = numpy_helper.to_array(a["value"])
        elif op == "Add":
            y = x[0] + x[1]
        elif op == "Sub":
            y = x[0] - x[1]
        elif op == "Mul":
            y = x[0] * x[1]
        elif op == "Div":
            y = x[0] / x[1] if x[0].dtype.kind == "f" else x[0] // x[1]
        elif op == "Pow":
            y = np.power(x[0], x[1]).astype(x[0].dtype)
        elif op == "Sqrt":
            y = np.sqrt(x[0])
        elif op == "Erf":
            y = _erf(x[0]).astype(x[0].dtype)
        elif op == "MatMul":
            y = np.matmul(x[0], x[1])
        elif op == "Cast":
            y = x[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])
        elif op == "Shape":
            y = np.array(x[0].shape, dtype=np.int64)
        elif op == "Gather":
            y = np.take(x[0], x[1], axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            y = x[0]
            for ax in sorted(a["axes"]):
                y = np.expand_dims(y, ax)
        elif op == "Concat":
            y = np.concatenate([np.atleast_1d(t) for t in x], axis=a["axis"])
        elif op == "Reshape":
            shape = [d if d != 0 else x[0].shape[i] for i, d in enumerate(x[1])]
            y = x[0].reshape(shape)
        elif op == "Transpose":
            y = np.transpose(x[0], a.get("perm"))
        elif op == "Slice":
            starts, ends = x[1], x[2]
            axes = x[3] if len(x) > 3 and x[3] is not None else range(len(starts))
            steps = x[4] if len(x) > 4 and x[4] is not None else [1] * len(starts)
            sl = [slice(None)] * x[0].ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[ax] = slice(int(s), int(min(e, 2**62)), int(st))
            y = x[0][tuple(sl)]
        elif op == "ReduceMean":
            y = np.mean(x[0], axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1))).astype(x[0].dtype)
        elif op == "Softmax":
            y = softmax11(x[0], a.get("axis", 1))
        elif op == "Equal":
            y = np.equal(x[0], x[1])
        elif op == "Not":
            y = np.logical_not(x[0])
        elif op == "Where":
            y = np.where(x[0], x[1], x[2])
        elif op == "Expand":
            y = x[0] * np.ones(x[1], dtype=x[0].dtype)
        elif op == "ConstantOfShape":
            v = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
            y = np.full(tuple(x[0]), v.reshape(-1)[0], dtype=v.dtype)
        elif op == "CumSum":
            assert not a.get("exclusive", 0) and not a.get("reverse", 0)
            y = np.cumsum(x[0], axis=int(x[1])).astype(x[0].dtype)
        else:
            raise NotImplementedError(op)
        env[n.output[0]] = np.asarray(y)
    return {o.name: env[o.name] for o in model.graph.output}


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import torch
    import make_encoder_fixtures as gen
    ok = True
    for name in gen.SPECS:
        model = onnx.load(os.path.join(d, f"{name}-tiny.onnx"))
        exp = json.load(open(os.path.join(d, f"{name}-tiny.expected.json")))
        feeds = {k: np.array(v, dtype=np.int64) for k, v in exp["inputs"].items()}
        got = run(model, feeds)["last_hidden_state"]
        ref = np.array(exp["last_hidden_state"], dtype=np.float64)
        err1 = np.abs(got - ref).max()
        # dynamic axes: batch 3 x seq 11 with varied padding, vs torch
        tmodel, input_names, *_ = gen.build(name)
        rng = np.random.RandomState(7)
        pad = 1 if name == "roberta" else 0
        ids = rng.randint(3, gen.VOCAB, size=(3, 11)).astype(np.int64)
        mask = np.ones((3, 11), np.int64)
        for r, L in enumerate([11, 6, 2]):
            ids[r, L:] = pad
            mask[r, L:] = 0
        f2 = {"input_ids": ids, "attention_mask": mask,
              "token_type_ids": (np.arange(11)[None, :] >= 5).astype(np.int64).repeat(3, 0)}
        f2 = {k: f2[k] for k in input_names}
        with torch.no_grad():
            tref = tmodel(*[torch.from_numpy(f2[k]) for k in input_names]).numpy()
        err2 = np.abs(run(model, f2)["last_hidden_state"] - tref).max()
        good = err1 < 1e-4 and err2 < 1e-4 and got.shape == tuple(exp["shape"])
        ok &= good
        print(f"{name:<10} vs expected.json max|diff|={err1:.2e}   3x11 vs torch max|diff|={err2:.2e}  "
              f"out std={ref.std():.3f}  {'OK' if good else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
