#!/usr/bin/python3
"""Generate a tiny GPT-2 ONNX test fixture and its word-level tokenizer.json with plain PyTorch.

The module attribute paths mirror Hugging Face transformers' GPT2LMHeadModel (transformers 4.x
eager attention), so torch.onnx.export derives the same scoped node names and parameter names:
  /transformer/h.0/attn/c_attn/Gemm      fused q|k|v projection, Conv1D weight [d, 3d] (x @ W + b)
  /transformer/h.0/attn/Split            q, k, v = c_attn(x).split(d, dim=2)
  /transformer/h.0/attn/c_proj/Gemm, /transformer/h.0/mlp/c_fc/Gemm, /transformer/h.0/mlp/c_proj/Gemm
  /transformer/h.0/ln_1, ln_2, /transformer/ln_f, /lm_head/MatMul (tied to transformer.wte)
Conv1D is torch.addmm(bias, x.view(-1, nx), weight), as in HF, which the exporter writes as Gemm.
The causal mask is HF's: a bool lower-triangular buffer sliced to [k-q:k, :k] and torch.where with
the dtype's min; gelu_new is the tanh approximation with torch.pow(x, 3.0). No dropout (eval mode).
No code is copied from transformers.

Inputs: input_ids only (int64 [batch, sequence]); no attention_mask. Batches are right-padded, and
under the causal mask a real token never attends to a later pad, so pads change no real position's
logits; losses ignore pad positions and decoding reads each row's logits at its own last token.

The tokenizer is a Hugging Face WordLevel tokenizer.json (Whitespace pre-tokenizer) over a fixed
vocabulary of E2E-style words; unknown words become [UNK]; "<|endoftext|>" is the last id, as in GPT-2.

Usage:  /usr/bin/python3 make_gpt2_fixture.py [OUT_DIR]   (default: ../resources/fixtures)
Writes  gpt2-tiny.onnx, gpt2-tiny.tokenizer.json, gpt2-tiny.expected.json
"""
import json
import math
import os
import sys

import numpy as np
import onnx
import torch
from torch import nn

SEED = 2024
HIDDEN = 32
LAYERS = 2
HEADS = 4
N_POSITIONS = 128
LN_EPS = 1e-5
OPSET = 11

# Init: HF uses N(0, 0.02); larger stds here so attention is far from uniform and logits vary, or a
# fixture could not detect head-split, q/k/v order or mask mistakes.
EMB_STD = 0.3
POS_STD = 0.1
LINEAR_STD = 0.2
BIAS_STD = 0.1
LN_WEIGHT_STD = 0.1
LN_BIAS_STD = 0.1

WORDS = """
[ ] ], , . ' - ! ? £ || name eatType food priceRange customer rating area familyFriendly near
The Vaults Cambridge Blue Eagle Mill Loch Fyne Bibimbap House Rice Boat Wrestlers Aromi Alimentum Browns
Cocum Cotto Fitzbillies Giraffe Green Man Strada Taste of Cricketers Dumpling Tree Golden Curry Palace
Olive Grove Phoenix Plough Punter Travellers Rest Beefeater Wildwood Zizzi Clowns Midsummer Spice Café
Sicilia Rouge Brazil Adriatic Crowne Plaza Hotel Rainbow Vegetarian Ranch Raja Indian Cuisine Yippee
Noodle Bar Avalon All One Burger King Express by Holiday Inn Portland Arms Sorrento Waterman
pub coffee shop restaurant English Italian French Chinese Japanese Fast fast cheap moderate high low
average less than more 20 25 30 1 3 5 out city centre riverside yes no
a an the is in it its located near serves serve serving food with and has have of price prices range
family friendly not kid kids children child area there There which that for are rated rating priced
offers offering provides at on to from by this This place called named can be found you eat
located close next also but while where who good great nice excellent poor star stars ratings
It A An In Near At For If They their its dishes meals meal menu style cuisine type venue establishment
welcome welcoming non kid-friendly family-friendly friendly-family centre area riverside river
expensive affordable inexpensive pricey budget reasonably reasonable prices pricing cost costs
costing pound pounds per person rated customers review reviews score scored highly very quite
""".split()


def vocabulary():
    seen, vocab = set(), ["[UNK]"]
    for w in WORDS:
        if w not in seen:
            seen.add(w)
            vocab.append(w)
    vocab.append("<|endoftext|>")
    return vocab


def tokenizer_json(vocab):
    ids = {w: i for i, w in enumerate(vocab)}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": ids["[UNK]"], "content": "[UNK]", "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True},
            {"id": ids["<|endoftext|>"], "content": "<|endoftext|>", "single_word": False, "lstrip": False,
             "rstrip": False, "normalized": False, "special": True},
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": ids, "unk_token": "[UNK]"},
    }


class Conv1D(nn.Module):
    """HF Conv1D: weight [nx, nf], y = x @ W + b via addmm on the 2-D view."""

    def __init__(self, nf, nx):
        super().__init__()
        self.nf = nf
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))

    def forward(self, x):
        size_out = x.size()[:-1] + (self.nf,)
        x = torch.addmm(self.bias, x.view(-1, x.size(-1)), self.weight)
        return x.view(size_out)


class NewGELUActivation(nn.Module):
    def forward(self, input):
        return 0.5 * input * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (input + 0.044715 * torch.pow(input, 3.0))))


class GPT2Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("bias", torch.tril(torch.ones((N_POSITIONS, N_POSITIONS), dtype=torch.bool))
                             .view(1, 1, N_POSITIONS, N_POSITIONS), persistent=False)
        self.embed_dim = HIDDEN
        self.num_heads = HEADS
        self.head_dim = HIDDEN // HEADS
        self.split_size = HIDDEN
        self.c_attn = Conv1D(3 * HIDDEN, HIDDEN)
        self.c_proj = Conv1D(HIDDEN, HIDDEN)
        self.attn_dropout = nn.Dropout(0.1)
        self.resid_dropout = nn.Dropout(0.1)

    def _attn(self, query, key, value):
        attn_weights = torch.matmul(query, key.transpose(-1, -2))
        attn_weights = attn_weights / torch.full([], value.size(-1) ** 0.5, dtype=attn_weights.dtype)
        query_length, key_length = query.size(-2), key.size(-2)
        causal_mask = self.bias[:, :, key_length - query_length: key_length, :key_length]
        mask_value = torch.finfo(attn_weights.dtype).min
        mask_value = torch.full([], mask_value, dtype=attn_weights.dtype)
        attn_weights = torch.where(causal_mask, attn_weights.to(attn_weights.dtype), mask_value)
        attn_weights = nn.functional.softmax(attn_weights, dim=-1)
        attn_weights = self.attn_dropout(attn_weights)
        return torch.matmul(attn_weights, value)

    def _split_heads(self, tensor):
        new_shape = tensor.size()[:-1] + (self.num_heads, self.head_dim)
        return tensor.view(new_shape).permute(0, 2, 1, 3)

    def _merge_heads(self, tensor):
        tensor = tensor.permute(0, 2, 1, 3).contiguous()
        new_shape = tensor.size()[:-2] + (self.num_heads * self.head_dim,)
        return tensor.view(new_shape)

    def forward(self, hidden_states):
        query, key, value = self.c_attn(hidden_states).split(self.split_size, dim=2)
        query = self._split_heads(query)
        key = self._split_heads(key)
        value = self._split_heads(value)
        attn_output = self._merge_heads(self._attn(query, key, value))
        return self.resid_dropout(self.c_proj(attn_output))


class GPT2MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_fc = Conv1D(4 * HIDDEN, HIDDEN)
        self.c_proj = Conv1D(HIDDEN, 4 * HIDDEN)
        self.act = NewGELUActivation()
        self.dropout = nn.Dropout(0.1)

    def forward(self, hidden_states):
        return self.dropout(self.c_proj(self.act(self.c_fc(hidden_states))))


class GPT2Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.attn = GPT2Attention()
        self.ln_2 = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.mlp = GPT2MLP()

    def forward(self, hidden_states):
        residual = hidden_states
        hidden_states = residual + self.attn(self.ln_1(hidden_states))
        residual = hidden_states
        return residual + self.mlp(self.ln_2(hidden_states))


class GPT2Model(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.wte = nn.Embedding(vocab, HIDDEN)
        self.wpe = nn.Embedding(N_POSITIONS, HIDDEN)
        self.drop = nn.Dropout(0.1)
        self.h = nn.ModuleList([GPT2Block() for _ in range(LAYERS)])
        self.ln_f = nn.LayerNorm(HIDDEN, eps=LN_EPS)

    def forward(self, input_ids):
        input_shape = input_ids.size()
        input_ids = input_ids.view(-1, input_shape[-1])
        position_ids = torch.arange(0, input_shape[-1], dtype=torch.long).unsqueeze(0)
        hidden_states = self.drop(self.wte(input_ids) + self.wpe(position_ids))
        for block in self.h:
            hidden_states = block(hidden_states)
        return self.ln_f(hidden_states)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.transformer = GPT2Model(vocab)
        self.lm_head = nn.Linear(HIDDEN, vocab, bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # tied, as HF ties them

    def forward(self, input_ids):
        return self.lm_head(self.transformer(input_ids))


def init_weights(model, gen):
    def normal(t, mean, std):
        with torch.no_grad():
            t.copy_(torch.randn(t.shape, generator=gen) * std + mean)

    for name, m in model.named_modules():  # deterministic registration order
        if isinstance(m, Conv1D):
            normal(m.weight, 0.0, LINEAR_STD)
            normal(m.bias, 0.0, BIAS_STD)
        elif isinstance(m, nn.Embedding):
            normal(m.weight, 0.0, POS_STD if name.endswith("wpe") else EMB_STD)
        elif isinstance(m, nn.LayerNorm):
            normal(m.weight, 1.0, LN_WEIGHT_STD)
            normal(m.bias, 0.0, LN_BIAS_STD)


def greedy(model, prompt, steps):
    ids = list(prompt)
    with torch.no_grad():
        for _ in range(steps):
            logits = model(torch.tensor([ids]))
            ids.append(int(logits[0, -1].argmax()))
    return ids[len(prompt):]


def main():
    torch.manual_seed(SEED)
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "resources", "fixtures")
    os.makedirs(out_dir, exist_ok=True)
    print(f"torch {torch.__version__}, onnx {onnx.__version__}, numpy {np.__version__}")
    vocab = vocabulary()
    with open(os.path.join(out_dir, "gpt2-tiny.tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab), f, ensure_ascii=False, indent=1)

    model = GPT2LMHeadModel(len(vocab))
    init_weights(model, torch.Generator().manual_seed(SEED))
    model.eval()
    ids = {w: i for i, w in enumerate(vocab)}
    prompt = [ids[w] for w in "name [ The Eagle ], eatType [ pub ] ||".split()]
    batch = torch.tensor([prompt, prompt[:4] + [5, 6, 7, 8, 9, 10]], dtype=torch.int64)
    path = os.path.join(out_dir, "gpt2-tiny.onnx")
    with torch.no_grad():
        logits = model(batch)
        torch.onnx.export(model, (batch,), path, opset_version=OPSET, do_constant_folding=True,
                          input_names=["input_ids"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                        "logits": {0: "batch", 1: "sequence"}})
    m = onnx.load(path)
    onnx.checker.check_model(m)
    print(f"{path}: {os.path.getsize(path)} bytes, {len(m.graph.node)} nodes, vocab {len(vocab)}")
    print(f"  op types: {sorted(set(n.op_type for n in m.graph.node))}")
    for n in m.graph.node:
        if "/h.0/" in n.name and n.op_type in ("Gemm", "Split", "MatMul", "Where", "Pow", "Tanh"):
            print(f"    {n.op_type:<8} {n.name}  {list(n.input)} -> {list(n.output)}")
    expected = {
        "model": "gpt2-tiny.onnx",
        "seed": SEED,
        "vocab_size": len(vocab),
        "input_ids": batch.tolist(),
        "logits_last": [[float(f"{v:.7g}") for v in row[-1].tolist()] for row in logits],
        "greedy_prompt": prompt,
        "greedy_10": greedy(model, prompt, 10),
    }
    with open(os.path.join(out_dir, "gpt2-tiny.expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
