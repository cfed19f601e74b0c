#!/usr/bin/python3
"""The PyTorch peer of `adamix bench peers`: the same frozen encoder, the same modules, the same step.

Builds a BERT encoder of the ONNX export's shape in plain PyTorch, loads the export's own weights (read
with python3-onnx; the anonymous MatMul weights are identified by the node that multiplies them, whose
name carries the module path, e.g. /encoder/layer.3/attention/self/query/MatMul, exactly as AdaMix4j's
StructureMapper does), freezes it, and adds one of the methods AdaMix4j trains, with the same shapes
and placement:

  adamix        M=4 adapters r=16 at each layer's FFN output, down per expert, up shared, exact GELU,
                one expert per pass and layer; consistency: a second stochastic pass and
                CE(pass 1) + w * 1/2 [KL(sg p2 || p1) + KL(sg p1 || p2)], w = 1, batch-mean KL
  adamix-1pass  the same mixture, one pass, CE only (the per-pass cost of AdaMix)
  adapter       one GELU adapter r=16 at the FFN output (AdaMix's merged shape; equal FLOPs per pass)
  houlsby       swish adapters r=16 after the attention output and the FFN output
  lora          LoRA r=8, alpha 16 on query and value (no dropout)

plus the classification head AdaMix4j attaches ([CLS] -> dense d x d -> tanh -> dense d x C), AdamW
(beta 0.9/0.999, eps 1e-8, weight decay 0.01, none on biases) and global-norm clipping at 1.0. The
base runs without dropout, as the imported ONNX graph does.

Commands (JSON on stdout, or into --out):
  train   time N steps after W warm-up steps on random token batches of B x L
  encode  the encoder's last hidden state for a batch given as JSON (to check the weight mapping)

Run with Debian's interpreter: /usr/bin/python3 (python3-torch, python3-onnx, python3-numpy).
"""
import argparse
import json
import math
import os
import random
import re
import resource
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from torch import nn

METHODS = ("adamix", "adamix-1pass", "adapter", "houlsby", "lora")


# ----------------------------------------------------------------------------------- the ONNX export
class OnnxWeights:
    """Weights and constants of a BERT-family ONNX export, found by node name."""

    def __init__(self, path):
        model = onnx.load(path)
        g = model.graph
        self.init = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        self.const = {}
        for n in g.node:
            if n.op_type == "Constant":
                for a in n.attribute:
                    if a.name == "value":
                        self.const[n.output[0]] = numpy_helper.to_array(a.t)
        self.nodes = {n.name: n for n in g.node}
        self.consumers = {}
        for n in g.node:
            for i in n.input:
                self.consumers.setdefault(i, []).append(n)
        layers = set()
        for name in self.nodes:
            m = re.search(r"/encoder/layer\.(\d+)/attention/self/query/MatMul$", name)
            if m:
                layers.add(int(m.group(1)))
        if not layers:
            raise SystemExit(f"adamix_peer: no BERT layers in {path}: expected nodes named "
                             "/encoder/layer.N/attention/self/query/MatMul")
        self.layers = max(layers) + 1

    def value(self, name):
        if name in self.init:
            return self.init[name]
        if name in self.const:
            return self.const[name]
        raise KeyError(f"{name} is neither an initializer nor a Constant output")

    def projection(self, scope):
        """(W [in, out], b [out]) of the MatMul node `scope`/MatMul and the Add that adds its bias."""
        mm = self.nodes[scope + "/MatMul"]
        w = self.init[mm.input[1]]
        b = None
        for c in self.consumers.get(mm.output[0], []):
            if c.op_type == "Add":
                other = c.input[0] if c.input[1] == mm.output[0] else c.input[1]
                if other in self.init:
                    b = self.init[other]
        if b is None:
            raise KeyError(f"no bias Add after {scope}/MatMul")
        return w, b

    def layer_norm(self, scope):
        """(weight, bias, eps) of the decomposed LayerNorm under `scope`."""
        weight = self.init[[i for i in self.nodes[scope + "/Mul"].input if i in self.init][0]]
        bias = self.init[[i for i in self.nodes[scope + "/Add_1"].input if i in self.init][0]]
        eps = float(self.value(self.nodes[scope + "/Add"].input[1]))
        return weight, bias, eps

    def heads(self):
        # The key reshape of layer 0: Concat(batch, seq, heads, head_dim).
        concat = self.nodes["/encoder/layer.0/attention/self/Concat"]
        return int(np.asarray(self.value(concat.input[2])).reshape(-1)[0])

    def mask_value(self):
        mul = self.nodes["/Mul"]
        return float(np.asarray(self.value(mul.input[1])).reshape(-1)[0])


def frozen(a):
    return torch.from_numpy(np.array(a, dtype=np.float32, order="C"))  # a writable copy


class Linear(nn.Module):
    """A frozen projection y = x W + b stored as PyTorch's nn.Linear stores it (weight [out, in])."""

    def __init__(self, w, b):
        super().__init__()
        self.register_buffer("weight", frozen(np.asarray(w).T))
        self.register_buffer("bias", frozen(b))

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)


class LayerNorm(nn.Module):
    def __init__(self, params):
        super().__init__()
        w, b, eps = params
        self.register_buffer("weight", frozen(w))
        self.register_buffer("bias", frozen(b))
        self.eps = eps

    def forward(self, x):
        return F.layer_norm(x, (x.shape[-1],), self.weight, self.bias, self.eps)


# --------------------------------------------------------------------------------------- the modules
class Adapter(nn.Module):
    """h + up(act(down(h))), weights N(0, 0.02), biases zero (AdaMix4j's AdapterModule)."""

    def __init__(self, d, r, act, gen):
        super().__init__()
        self.down_w = nn.Parameter(torch.randn(d, r, generator=gen) * 0.02)
        self.down_b = nn.Parameter(torch.zeros(r))
        self.up_w = nn.Parameter(torch.randn(r, d, generator=gen) * 0.02)
        self.up_b = nn.Parameter(torch.zeros(d))
        self.act = act

    def forward(self, h, route=None):
        return h + torch.addmm(self.up_b, self.act(torch.addmm(self.down_b, h.reshape(-1, h.shape[-1]), self.down_w)),
                               self.up_w).view_as(h)


class MixtureAdapter(nn.Module):
    """AdaMix: M down experts [M, d, r] and one shared up [r, d]; a pass uses expert `route` (None: the mean)."""

    def __init__(self, d, r, m, gen):
        super().__init__()
        self.down_w = nn.Parameter(torch.randn(m, d, r, generator=gen) * 0.02)
        self.down_b = nn.Parameter(torch.zeros(m, r))
        self.up_w = nn.Parameter(torch.randn(r, d, generator=gen) * 0.02)
        self.up_b = nn.Parameter(torch.zeros(d))

    def forward(self, h, route=None):
        dw = self.down_w.mean(0) if route is None else self.down_w[route]
        db = self.down_b.mean(0) if route is None else self.down_b[route]
        z = F.gelu(torch.addmm(db, h.reshape(-1, h.shape[-1]), dw))
        return h + torch.addmm(self.up_b, z, self.up_w).view_as(h)


class LoraLinear(nn.Module):
    """x W + b + (alpha / r) x A B with A Kaiming-uniform [in, r], B zero [r, out]."""

    def __init__(self, base, r, alpha, gen):
        super().__init__()
        self.base = base
        d_in = base.weight.shape[1]
        d_out = base.weight.shape[0]
        bound = 1.0 / math.sqrt(d_in)
        self.a = nn.Parameter((torch.rand(d_in, r, generator=gen) * 2 - 1) * bound)
        self.b = nn.Parameter(torch.zeros(r, d_out))
        self.scale = alpha / r

    def forward(self, x):
        return self.base(x) + (x @ self.a @ self.b) * self.scale


def swish(x):
    return x * torch.sigmoid(x)


# --------------------------------------------------------------------------------------- the encoder
class BertLayer(nn.Module):
    def __init__(self, w, i, heads):
        super().__init__()
        p = f"/encoder/layer.{i}"
        self.query = Linear(*w.projection(p + "/attention/self/query"))
        self.key = Linear(*w.projection(p + "/attention/self/key"))
        self.value = Linear(*w.projection(p + "/attention/self/value"))
        self.attn_out = Linear(*w.projection(p + "/attention/output/dense"))
        self.attn_norm = LayerNorm(w.layer_norm(p + "/attention/output/LayerNorm"))
        self.inter = Linear(*w.projection(p + "/intermediate/dense"))
        self.out = Linear(*w.projection(p + "/output/dense"))
        self.out_norm = LayerNorm(w.layer_norm(p + "/output/LayerNorm"))
        self.heads = heads
        self.attn_adapter = None  # after the attention output projection (Houlsby)
        self.ffn_adapter = None  # after the FFN output projection (AdaMix, adapter, Houlsby)

    def forward(self, x, ext_mask, route=None):
        b, n, d = x.shape
        dh = d // self.heads

        def split(t):
            return t.view(b, n, self.heads, dh).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(dh) + ext_mask
        ctx = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(b, n, d)
        a = self.attn_out(ctx)
        if self.attn_adapter is not None:
            a = self.attn_adapter(a)
        x = self.attn_norm(a + x)
        h = self.out(F.gelu(self.inter(x)))
        if self.ffn_adapter is not None:
            h = self.ffn_adapter(h, route)
        return self.out_norm(h + x)


class BertEncoder(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.register_buffer("word", frozen(w.init["embeddings.word_embeddings.weight"]))
        self.register_buffer("position", frozen(w.init["embeddings.position_embeddings.weight"]))
        self.register_buffer("token_type", frozen(w.init["embeddings.token_type_embeddings.weight"]))
        self.emb_norm = LayerNorm(w.layer_norm("/embeddings/LayerNorm"))
        self.mask_value = w.mask_value()
        self.layers = nn.ModuleList([BertLayer(w, i, w.heads()) for i in range(w.layers)])
        self.hidden = self.word.shape[1]

    def forward(self, ids, mask, types, routes=None):
        n = ids.shape[1]
        x = self.word[ids] + self.token_type[types] + self.position[:n].unsqueeze(0)
        x = self.emb_norm(x)
        ext = (1.0 - mask[:, None, None, :].to(x.dtype)) * self.mask_value
        for i, layer in enumerate(self.layers):
            x = layer(x, ext, None if routes is None else routes[i])
        return x


class Classifier(nn.Module):
    """The encoder, a method, and AdaMix4j's head: [CLS] -> dense -> tanh -> dense."""

    def __init__(self, encoder, method, labels, seed):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        d = encoder.hidden
        self.encoder = encoder
        self.method = method
        self.experts = 4
        for layer in encoder.layers:
            if method in ("adamix", "adamix-1pass"):
                layer.ffn_adapter = MixtureAdapter(d, 16, self.experts, gen)
            elif method == "adapter":
                layer.ffn_adapter = Adapter(d, 16, F.gelu, gen)
            elif method == "houlsby":
                layer.attn_adapter = Adapter(d, 16, swish, gen)
                layer.ffn_adapter = Adapter(d, 16, swish, gen)
            elif method == "lora":
                layer.query = LoraLinear(layer.query, 8, 16.0, gen)
                layer.value = LoraLinear(layer.value, 8, 16.0, gen)
            else:
                raise SystemExit(f"adamix_peer: unknown method '{method}'; known: {', '.join(METHODS)}")
        self.dense_w = nn.Parameter(torch.randn(d, d, generator=gen) * 0.02)
        self.dense_b = nn.Parameter(torch.zeros(d))
        self.out_w = nn.Parameter(torch.randn(d, labels, generator=gen) * 0.02)
        self.out_b = nn.Parameter(torch.zeros(labels))

    def forward(self, ids, mask, types, routes=None):
        cls = self.encoder(ids, mask, types, routes)[:, 0]
        return torch.addmm(self.out_b, torch.tanh(torch.addmm(self.dense_b, cls, self.dense_w)), self.out_w)


def symmetric_kl(l1, l2):
    lp1, lp2 = F.log_softmax(l1, -1), F.log_softmax(l2, -1)
    t1, t2 = lp1.detach(), lp2.detach()
    kl12 = (t2.exp() * (t2 - lp1)).sum(-1).mean()
    kl21 = (t1.exp() * (t1 - lp2)).sum(-1).mean()
    return 0.5 * (kl12 + kl21)


# ---------------------------------------------------------------------------------------- measuring
def rss_mb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(re.sub(r"[^0-9]", "", line)) / 1024.0
    return float("nan")


def train(args):
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    t_load = time.perf_counter()
    enc = BertEncoder(OnnxWeights(args.model))
    model = Classifier(enc, args.method, args.labels, args.seed)
    model.train()  # no dropout anywhere: the ONNX base has none, and AdaMix4j's modules add none
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    params = [p for _, p in named]
    # As AdaMix4j's PeftModel.noDecayParameters: biases (incl. AdaMix's stacked expert biases) get no decay.
    decay = [p for n, p in named if not n.endswith("_b")]
    no_decay = [p for n, p in named if n.endswith("_b")]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    load_seconds = time.perf_counter() - t_load
    rss_after_load = rss_mb("VmRSS:")
    vocab = enc.word.shape[0]
    data = torch.Generator().manual_seed(args.seed + 1)
    routing = random.Random(args.seed + 2)
    layers = len(enc.layers)
    two_passes = args.method == "adamix"
    mixture = args.method.startswith("adamix")

    def batch():
        ids = torch.randint(2, vocab, (args.batch, args.length), generator=data)
        ids[:, 0] = min(101, vocab - 1)
        mask = torch.ones(args.batch, args.length, dtype=torch.long)
        types = torch.zeros(args.batch, args.length, dtype=torch.long)
        y = torch.randint(0, args.labels, (args.batch,), generator=data)
        return ids, mask, types, y

    def routes():
        return [routing.randrange(model.experts) for _ in range(layers)] if mixture else None

    def step():
        ids, mask, types, y = batch()
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        logits = model(ids, mask, types, routes())
        loss = F.cross_entropy(logits, y)
        if two_passes:
            loss = loss + 1.0 * symmetric_kl(logits, model(ids, mask, types, routes()))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        return time.perf_counter() - t0, float(loss.detach())

    losses = []
    for _ in range(args.warmup):
        losses.append(step()[1])
    times = []
    series = []
    for i in range(args.steps):
        t, loss = step()
        times.append(t)
        losses.append(loss)
        if args.rss_every > 0 and (i + 1) % args.rss_every == 0:
            series.append([i + 1, rss_mb("VmRSS:")])
        if args.progress and (i + 1) % max(1, args.steps // 10) == 0:
            print(f"peer {args.method}: step {i + 1}/{args.steps} {t:.3f} s", file=sys.stderr, flush=True)
    return {
        "peer": "pytorch",
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "method": args.method,
        "batch": args.batch,
        "length": args.length,
        "warmup": args.warmup,
        "steps": args.steps,
        "step_seconds": times,
        "load_seconds": load_seconds,
        "trainable_parameters": sum(p.numel() for p in params),
        "rss_after_load_mb": rss_after_load,
        "peak_rss_mb": rss_mb("VmHWM:"),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "rss_series": series,
        "loss_first": losses[0] if losses else None,
        "loss_last": losses[-1] if losses else None,
    }


def encode(args):
    with open(args.input) as f:
        batch = json.load(f)
    enc = BertEncoder(OnnxWeights(args.model))
    enc.eval()
    with torch.no_grad():
        out = enc(torch.tensor(batch["input_ids"], dtype=torch.long),
                  torch.tensor(batch["attention_mask"], dtype=torch.long),
                  torch.tensor(batch["token_type_ids"], dtype=torch.long))
    return {"peer": "pytorch", "shape": list(out.shape), "last_hidden_state": out.reshape(-1).tolist()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="time training steps")
    t.add_argument("--model", required=True, help="ONNX export of a BERT-family encoder")
    t.add_argument("--method", required=True, choices=METHODS)
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--length", type=int, default=128)
    t.add_argument("--steps", type=int, default=10)
    t.add_argument("--warmup", type=int, default=2)
    t.add_argument("--labels", type=int, default=2)
    t.add_argument("--lr", type=float, default=1e-4)
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--threads", type=int, default=0, help="torch intra-op threads; 0 keeps torch's default")
    t.add_argument("--rss-every", type=int, default=0, help="record VmRSS every k timed steps")
    t.add_argument("--progress", action="store_true")
    t.add_argument("--out", help="write the JSON here instead of stdout")
    e = sub.add_parser("encode", help="last hidden state of a JSON batch")
    e.add_argument("--model", required=True)
    e.add_argument("--input", required=True, help="JSON with input_ids, attention_mask, token_type_ids")
    e.add_argument("--out")
    args = p.parse_args(argv)
    if args.command == "train":
        for name in ("batch", "length", "steps", "labels"):
            if getattr(args, name) < 1:
                p.error(f"--{name} must be >= 1")
        if args.warmup < 0:
            p.error("--warmup must be >= 0")
        result = train(args)
    else:
        result = encode(args)
    text = json.dumps(result)
    if args.out:
        tmp = args.out + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, args.out)
    else:
        print(text)


if __name__ == "__main__":
    main()
