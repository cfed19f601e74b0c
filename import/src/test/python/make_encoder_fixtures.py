#!/usr/bin/python3
"""Generate tiny BERT / RoBERTa / DistilBERT ONNX test fixtures with plain PyTorch.

The module attribute paths mirror Hugging Face transformers' BertModel, RobertaModel and
DistilBertModel exactly, so torch.onnx.export derives the same scoped node names, e.g.
  /encoder/layer.0/attention/self/query/MatMul        (bert, roberta)
  /transformer/layer.0/attention/q_lin/MatMul         (distilbert)
The forward code follows HF's eager implementations (transformers 4.x) op for op
(no dropout: eval mode).  No code is copied from transformers.

Usage:  /usr/bin/python3 make_encoder_fixtures.py [OUT_DIR]     (default: directory of this file)
Writes  {bert,roberta,distilbert}-tiny.onnx  and  {bert,roberta,distilbert}-tiny.expected.json
"""
import json
import math
import os
import sys

import numpy as np
import onnx
import torch
from torch import nn

SEED = 1234
VOCAB = 1000
HIDDEN = 32
LAYERS = 2
HEADS = 4
FFN_DIM = 64
MAX_POS = 64
LN_EPS = 1e-12
OPSET = 11

# Init.  HF uses N(0, 0.02) for everything.  Embeddings use that here, but Linear weights use
# a larger std: with 0.02 and hidden 32 the attention scores are ~1e-2 and softmax is almost
# uniform, so a fixture could not detect q/k/v or head-split mistakes.
EMB_STD = 0.02
LINEAR_STD = 0.2
BIAS_STD = 0.1
LN_WEIGHT_STD = 0.1   # LayerNorm weight = 1 + N(0, 0.1)
LN_BIAS_STD = 0.1


class GELUActivation(nn.Module):
    """HF ACT2FN["gelu"] is an nn.Module, so its ops get an extra scope level
    (/encoder/layer.0/intermediate/intermediate_act_fn/Erf, /transformer/layer.0/ffn/activation/Erf)."""

    def forward(self, x):  # exact erf GELU
        return nn.functional.gelu(x)


# ----------------------------------------------------------------------------- BERT / RoBERTa
class BertEmbeddings(nn.Module):
    def __init__(self, type_vocab=2, pad_id=0):
        super().__init__()
        self.word_embeddings = nn.Embedding(VOCAB, HIDDEN, padding_idx=pad_id)
        self.position_embeddings = nn.Embedding(MAX_POS, HIDDEN)
        self.token_type_embeddings = nn.Embedding(type_vocab, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.dropout = nn.Dropout(0.1)
        self.register_buffer("position_ids", torch.arange(MAX_POS).expand((1, -1)), persistent=False)
        self.register_buffer("token_type_ids", torch.zeros((1, MAX_POS), dtype=torch.long), persistent=False)

    def forward(self, input_ids, token_type_ids=None):
        seq_length = input_ids.size(1)
        position_ids = self.position_ids[:, 0:seq_length]
        if token_type_ids is None:
            token_type_ids = self.token_type_ids[:, :seq_length].expand(input_ids.size(0), seq_length)
        embeddings = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        embeddings = embeddings + self.position_embeddings(position_ids)
        embeddings = self.LayerNorm(embeddings)
        return self.dropout(embeddings)


class RobertaEmbeddings(BertEmbeddings):
    """HF RobertaEmbeddings: padding_idx=1, position ids derived from input_ids, type_vocab_size=1."""

    def __init__(self):
        super().__init__(type_vocab=1, pad_id=1)
        self.padding_idx = 1
        self.position_embeddings = nn.Embedding(MAX_POS, HIDDEN, padding_idx=self.padding_idx)

    def forward(self, input_ids, token_type_ids=None):
        # create_position_ids_from_input_ids(input_ids, padding_idx, past_key_values_length=0)
        mask = input_ids.ne(self.padding_idx).int()
        incremental_indices = (torch.cumsum(mask, dim=1).type_as(mask) + 0) * mask
        position_ids = incremental_indices.long() + self.padding_idx
        seq_length = input_ids.size(1)
        if token_type_ids is None:
            token_type_ids = self.token_type_ids[:, :seq_length].expand(input_ids.size(0), seq_length)
        embeddings = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        embeddings = embeddings + self.position_embeddings(position_ids)
        embeddings = self.LayerNorm(embeddings)
        return self.dropout(embeddings)


class BertSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.num_attention_heads = HEADS
        self.attention_head_size = HIDDEN // HEADS
        self.all_head_size = HIDDEN
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)
        self.dropout = nn.Dropout(0.1)

    def transpose_for_scores(self, x):
        new_x_shape = x.size()[:-1] + (self.num_attention_heads, self.attention_head_size)
        x = x.view(new_x_shape)
        return x.permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask):
        mixed_query_layer = self.query(hidden_states)
        key_layer = self.transpose_for_scores(self.key(hidden_states))
        value_layer = self.transpose_for_scores(self.value(hidden_states))
        query_layer = self.transpose_for_scores(mixed_query_layer)
        attention_scores = torch.matmul(query_layer, key_layer.transpose(-1, -2))
        attention_scores = attention_scores / math.sqrt(self.attention_head_size)
        attention_scores = attention_scores + attention_mask
        attention_probs = nn.functional.softmax(attention_scores, dim=-1)
        attention_probs = self.dropout(attention_probs)
        context_layer = torch.matmul(attention_probs, value_layer)
        context_layer = context_layer.permute(0, 2, 1, 3).contiguous()
        new_context_layer_shape = context_layer.size()[:-2] + (self.all_head_size,)
        return context_layer.view(new_context_layer_shape)


class BertSelfOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.dropout = nn.Dropout(0.1)

    def forward(self, hidden_states, input_tensor):
        hidden_states = self.dropout(self.dense(hidden_states))
        return self.LayerNorm(hidden_states + input_tensor)


class BertAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.self = BertSelfAttention()
        self.output = BertSelfOutput()

    def forward(self, hidden_states, attention_mask):
        return self.output(self.self(hidden_states, attention_mask), hidden_states)


class BertIntermediate(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, FFN_DIM)
        self.intermediate_act_fn = GELUActivation()

    def forward(self, hidden_states):
        return self.intermediate_act_fn(self.dense(hidden_states))


class BertOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(FFN_DIM, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.dropout = nn.Dropout(0.1)

    def forward(self, hidden_states, input_tensor):
        hidden_states = self.dropout(self.dense(hidden_states))
        return self.LayerNorm(hidden_states + input_tensor)


class BertLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = BertAttention()
        self.intermediate = BertIntermediate()
        self.output = BertOutput()

    def forward(self, hidden_states, attention_mask):
        attention_output = self.attention(hidden_states, attention_mask)
        return self.output(self.intermediate(attention_output), attention_output)


class BertEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer() for _ in range(LAYERS)])

    def forward(self, hidden_states, attention_mask):
        for layer_module in self.layer:
            hidden_states = layer_module(hidden_states, attention_mask)
        return hidden_states


def extended_attention_mask(attention_mask, dtype=torch.float32):
    # HF ModuleUtilsMixin.get_extended_attention_mask for a 2-D encoder mask
    ext = attention_mask[:, None, None, :]
    ext = ext.to(dtype=dtype)
    return (1.0 - ext) * torch.finfo(dtype).min


class BertModel(nn.Module):
    """Mirrors HF BertModel(add_pooling_layer=False); output = last_hidden_state."""

    def __init__(self):
        super().__init__()
        self.embeddings = BertEmbeddings()
        self.encoder = BertEncoder()

    def forward(self, input_ids, attention_mask, token_type_ids):
        embedding_output = self.embeddings(input_ids, token_type_ids)
        return self.encoder(embedding_output, extended_attention_mask(attention_mask))


class RobertaModel(nn.Module):
    """Mirrors HF RobertaModel(add_pooling_layer=False) called without token_type_ids."""

    def __init__(self):
        super().__init__()
        self.embeddings = RobertaEmbeddings()
        self.encoder = BertEncoder()

    def forward(self, input_ids, attention_mask):
        embedding_output = self.embeddings(input_ids)
        return self.encoder(embedding_output, extended_attention_mask(attention_mask))


# ----------------------------------------------------------------------------- DistilBERT
class DistilEmbeddings(nn.Module):
    def __init__(self):
        super().__init__()
        self.word_embeddings = nn.Embedding(VOCAB, HIDDEN, padding_idx=0)
        self.position_embeddings = nn.Embedding(MAX_POS, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.dropout = nn.Dropout(0.1)
        self.register_buffer("position_ids", torch.arange(MAX_POS).expand((1, -1)), persistent=False)

    def forward(self, input_ids):
        input_embeds = self.word_embeddings(input_ids)
        seq_length = input_embeds.size(1)
        position_ids = self.position_ids[:, :seq_length]
        embeddings = input_embeds + self.position_embeddings(position_ids)
        return self.dropout(self.LayerNorm(embeddings))


class MultiHeadSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.n_heads = HEADS
        self.dim = HIDDEN
        self.dropout = nn.Dropout(0.1)
        self.q_lin = nn.Linear(HIDDEN, HIDDEN)
        self.k_lin = nn.Linear(HIDDEN, HIDDEN)
        self.v_lin = nn.Linear(HIDDEN, HIDDEN)
        self.out_lin = nn.Linear(HIDDEN, HIDDEN)

    def forward(self, query, key, value, mask):
        bs, q_length, dim = query.size()
        k_length = key.size(1)
        dim_per_head = self.dim // self.n_heads
        mask_reshp = (bs, 1, 1, k_length)

        def shape(x):
            return x.view(bs, -1, self.n_heads, dim_per_head).transpose(1, 2)

        def unshape(x):
            return x.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * dim_per_head)

        q = shape(self.q_lin(query))
        k = shape(self.k_lin(key))
        v = shape(self.v_lin(value))
        q = q / math.sqrt(dim_per_head)
        scores = torch.matmul(q, k.transpose(2, 3))
        mask = (mask == 0).view(mask_reshp).expand_as(scores)
        scores = scores.masked_fill(mask, torch.tensor(torch.finfo(scores.dtype).min))
        weights = nn.functional.softmax(scores, dim=-1)
        weights = self.dropout(weights)
        context = unshape(torch.matmul(weights, v))
        return self.out_lin(context)


class FFN(nn.Module):
    def __init__(self):
        super().__init__()
        self.dropout = nn.Dropout(0.1)
        self.lin1 = nn.Linear(HIDDEN, FFN_DIM)
        self.lin2 = nn.Linear(FFN_DIM, HIDDEN)
        self.activation = GELUActivation()

    def forward(self, x):  # HF: apply_chunking_to_forward(self.ff_chunk, 0, ...) == ff_chunk(x)
        return self.dropout(self.lin2(self.activation(self.lin1(x))))


class TransformerBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = MultiHeadSelfAttention()
        self.sa_layer_norm = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.ffn = FFN()
        self.output_layer_norm = nn.LayerNorm(HIDDEN, eps=LN_EPS)

    def forward(self, x, attn_mask):
        sa_output = self.attention(x, x, x, attn_mask)
        sa_output = self.sa_layer_norm(sa_output + x)
        ffn_output = self.ffn(sa_output)
        return self.output_layer_norm(ffn_output + sa_output)


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.ModuleList([TransformerBlock() for _ in range(LAYERS)])

    def forward(self, x, attn_mask):
        hidden_state = x
        for layer_module in self.layer:
            hidden_state = layer_module(hidden_state, attn_mask)
        return hidden_state


class DistilBertModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embeddings = DistilEmbeddings()
        self.transformer = Transformer()

    def forward(self, input_ids, attention_mask):
        return self.transformer(self.embeddings(input_ids), attention_mask)


# ----------------------------------------------------------------------------- init / export
def init_weights(model, gen):
    def normal(t, mean, std):
        with torch.no_grad():
            t.copy_(torch.randn(t.shape, generator=gen) * std + mean)

    for m in model.modules():  # deterministic registration order
        if isinstance(m, nn.Linear):
            normal(m.weight, 0.0, LINEAR_STD)
            normal(m.bias, 0.0, BIAS_STD)
        elif isinstance(m, nn.Embedding):
            normal(m.weight, 0.0, EMB_STD)
            if m.padding_idx is not None:  # HF _init_weights zeroes the padding row
                with torch.no_grad():
                    m.weight[m.padding_idx].zero_()
        elif isinstance(m, nn.LayerNorm):
            normal(m.weight, 1.0, LN_WEIGHT_STD)
            normal(m.bias, 0.0, LN_BIAS_STD)


# batch 2 x 7, row 2 padded (pad id 0 for BERT/DistilBERT, 1 for RoBERTa)
BERT_IDS = [[2, 45, 678, 91, 234, 17, 3], [2, 88, 512, 3, 0, 0, 0]]
ROBERTA_IDS = [[0, 45, 678, 91, 234, 17, 2], [0, 88, 512, 2, 1, 1, 1]]
MASK = [[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0]]
TOKEN_TYPES = [[0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0]]

SPECS = {
    "bert": (BertModel, ["input_ids", "attention_mask", "token_type_ids"],
             {"input_ids": BERT_IDS, "attention_mask": MASK, "token_type_ids": TOKEN_TYPES},
             "/encoder/layer.0/attention/self/query/MatMul"),
    "roberta": (RobertaModel, ["input_ids", "attention_mask"],
                {"input_ids": ROBERTA_IDS, "attention_mask": MASK},
                "/encoder/layer.0/attention/self/query/MatMul"),
    "distilbert": (DistilBertModel, ["input_ids", "attention_mask"],
                   {"input_ids": BERT_IDS, "attention_mask": MASK},
                   "/transformer/layer.0/attention/q_lin/MatMul"),
}


def sig7(x):
    return float(f"{x:.7g}")


def build(name):
    cls, input_names, feed, expected_node = SPECS[name]
    gen = torch.Generator().manual_seed(SEED + sum(map(ord, name)))
    model = cls()
    init_weights(model, gen)
    model.eval()
    args = tuple(torch.tensor(feed[n], dtype=torch.int64) for n in input_names)
    return model, input_names, feed, args, expected_node


def export(name, out_dir):
    model, input_names, feed, args, expected_node = build(name)
    path = os.path.join(out_dir, f"{name}-tiny.onnx")
    dyn = {n: {0: "batch", 1: "sequence"} for n in input_names + ["last_hidden_state"]}
    with torch.no_grad():
        out = model(*args)
        torch.onnx.export(model, args, path, opset_version=OPSET, do_constant_folding=True,
                          input_names=input_names, output_names=["last_hidden_state"],
                          dynamic_axes=dyn, export_params=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    nodes = m.graph.node
    names = [n.name for n in nodes]
    print(f"=== {name}: {path}  {os.path.getsize(path)} bytes, {len(nodes)} nodes, "
          f"{len(m.graph.initializer)} initializers")
    print(f"  inputs : {[(i.name, i.type.tensor_type.elem_type) for i in m.graph.input]}")
    print(f"  outputs: {[o.name for o in m.graph.output]}")
    print(f"  '{expected_node}' present: {expected_node in names}")
    print("  first 15 nodes:")
    for n in nodes[:15]:
        print(f"    {n.op_type:<10} {n.name}")
    print(f"  op types: {sorted(set(n.op_type for n in nodes))}")
    expected = {
        "model": f"{name}-tiny.onnx",
        "seed": SEED,
        "inputs": {k: feed[k] for k in input_names},
        "input_dtype": "int64",
        "output_name": "last_hidden_state",
        "shape": list(out.shape),
        "significant_digits": 7,
        "last_hidden_state": [[[sig7(v) for v in tok] for tok in row] for row in out.tolist()],
    }
    with open(os.path.join(out_dir, f"{name}-tiny.expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    return model, args, out


def main():
    torch.manual_seed(SEED)
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)
    print(f"torch {torch.__version__}, onnx {onnx.__version__}, numpy {np.__version__}")
    for name in SPECS:
        export(name, out_dir)


if __name__ == "__main__":
    main()
