"""Seconds per training step of a reference PyTorch SASRec on ML-1M, to set beside bench/train-step.ts.

The network follows pmixer/SASRec.pytorch: item embedding (n_items + 1, d) with padding 0 scaled by
sqrt(d), a learned positional embedding, dropout, `blocks` blocks of [LayerNorm -> one-head causal
attention (query normed, residual) -> LayerNorm -> point-wise FFN (two 1x1 Conv1d, ReLU, dropout,
residual)], a final LayerNorm, and the timeline mask zeroing padded positions. The data is what
bench/train-step.ts trains on: ML-1M sequences, the 5-core rule, leave-one-out's `valid` fit corpus
(each user's events less the last two, for users with >= 4), each user's last 200 targets with the
event before each as input, left-padded with 0, in random batches of 128 users.

A step is forward + backward + Adam; batch assembly and BCE's negatives are made before the clock
starts (pmixer draws them in sampler processes). Prints one JSON line, the shape of bench/measure.ts's
emit. Needs Debian's python3-torch on OpenBLAS (bench/torch/ensure-torch.sh).

Usage: /usr/bin/python3 bench/torch/sasrec_step.py [--loss bce|full-ce|sampled-ce] [--threads 1]
       [--steps 6] [--data ../shared/data/ml-1m]
"""

import argparse
import gzip
import json
import os
import resource
import statistics
import sys
import time

BATCH = 128
MAX_LENGTH = 200
DIM = 50
BLOCKS = 2
DROPOUT = 0.2
LEARNING_RATE = 0.001
NEGATIVES = 1024
WARMUP = 2
MIN_EVENTS = 5
# The core library's file name tells how OpenBLAS runs its threads.
OPENBLAS_VARIANTS = {"libopenblasp-": "pthread", "libopenblaso-": "openmp", "libopenblas-r": "serial"}

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--loss", choices=["bce", "full-ce", "sampled-ce"], default="bce")
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--steps", type=int, default=6)
parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/ml-1m"))
args = parser.parse_args()

# Before torch loads: OpenBLAS (pthread) keeps its own pool, which torch.set_num_threads does not size.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = str(args.threads)

import ctypes  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402


def load_sequences(path):
    """Users' item sequences (dense ids 1..n_items) after the 5-core rule and leave-one-out's valid cut.

    As Tide's preprocess with its defaults: events grouped by user in file order, items with fewer
    than 5 events dropped, then users with fewer than 5 remaining; users renumbered by first arrival,
    items by first use in the output.
    """
    with gzip.open(path, "rb") as f:
        pairs = np.array(f.read().split(), dtype=np.int64).reshape(-1, 2)
    raw_users, raw_items = pairs[:, 0], pairs[:, 1]
    _, first_seen, user_rank = np.unique(raw_users, return_index=True, return_inverse=True)
    arrival = np.argsort(np.argsort(first_seen))[user_rank]
    order = np.argsort(arrival, kind="stable")
    users, items = arrival[order], raw_items[order]
    item_counts = np.bincount(items)
    keep = item_counts[items] >= MIN_EVENTS
    users, items = users[keep], items[keep]
    user_counts = np.bincount(users)
    keep = user_counts[users] >= MIN_EVENTS
    users, items = users[keep], items[keep]
    _, first_use, item_rank = np.unique(items, return_index=True, return_inverse=True)
    dense_items = np.argsort(np.argsort(first_use))[item_rank] + 1
    starts = np.flatnonzero(np.r_[True, users[1:] != users[:-1]])
    sequences = np.split(dense_items, starts[1:])
    fitted = [s if len(s) < 4 else s[:-2] for s in sequences]
    return [s for s in fitted if len(s) >= 2], int(dense_items.max())


def windows(sequences):
    """Inputs and targets (users x MAX_LENGTH), left-padded with 0: the last targets, each after its input."""
    inputs = np.zeros((len(sequences), MAX_LENGTH), dtype=np.int64)
    targets = np.zeros_like(inputs)
    for row, seq in enumerate(sequences):
        count = min(MAX_LENGTH, len(seq) - 1)
        inputs[row, MAX_LENGTH - count :] = seq[len(seq) - 1 - count : len(seq) - 1]
        targets[row, MAX_LENGTH - count :] = seq[len(seq) - count :]
    return inputs, targets


def bce_negatives(rng, inputs, targets, n_items):
    """One random item per position that the row neither has as input nor as that position's target."""
    negatives = rng.integers(1, n_items + 1, size=targets.shape)
    for row in range(len(inputs)):
        seen = np.union1d(inputs[row], targets[row])
        clash = np.isin(negatives[row], seen)
        while clash.any():
            negatives[row, clash] = rng.integers(1, n_items + 1, size=int(clash.sum()))
            clash = np.isin(negatives[row], seen)
    return negatives


class PointWiseFeedForward(torch.nn.Module):
    def __init__(self, dim, dropout):
        super().__init__()
        self.conv1 = torch.nn.Conv1d(dim, dim, kernel_size=1)
        self.dropout1 = torch.nn.Dropout(p=dropout)
        self.relu = torch.nn.ReLU()
        self.conv2 = torch.nn.Conv1d(dim, dim, kernel_size=1)
        self.dropout2 = torch.nn.Dropout(p=dropout)

    def forward(self, inputs):
        outputs = self.dropout2(self.conv2(self.relu(self.dropout1(self.conv1(inputs.transpose(-1, -2))))))
        return outputs.transpose(-1, -2) + inputs


class SasRec(torch.nn.Module):
    def __init__(self, n_items):
        super().__init__()
        self.item_emb = torch.nn.Embedding(n_items + 1, DIM, padding_idx=0)
        self.pos_emb = torch.nn.Embedding(MAX_LENGTH, DIM)
        self.emb_dropout = torch.nn.Dropout(p=DROPOUT)
        self.attention_norms = torch.nn.ModuleList(torch.nn.LayerNorm(DIM, eps=1e-8) for _ in range(BLOCKS))
        self.attentions = torch.nn.ModuleList(
            torch.nn.MultiheadAttention(DIM, 1, dropout=DROPOUT) for _ in range(BLOCKS)
        )
        self.forward_norms = torch.nn.ModuleList(torch.nn.LayerNorm(DIM, eps=1e-8) for _ in range(BLOCKS))
        self.forwards = torch.nn.ModuleList(PointWiseFeedForward(DIM, DROPOUT) for _ in range(BLOCKS))
        self.last_norm = torch.nn.LayerNorm(DIM, eps=1e-8)

    def forward(self, inputs):
        """Hidden states (batch x length x DIM) of a left-padded batch of inputs."""
        seqs = self.item_emb(inputs) * DIM**0.5
        positions = torch.arange(inputs.shape[1]).unsqueeze(0).expand_as(inputs)
        seqs = self.emb_dropout(seqs + self.pos_emb(positions))
        timeline = (inputs != 0).unsqueeze(-1)
        seqs = seqs * timeline
        length = seqs.shape[1]
        causal = ~torch.tril(torch.ones((length, length), dtype=torch.bool))
        for norm, attention, forward_norm, forward in zip(
            self.attention_norms, self.attentions, self.forward_norms, self.forwards
        ):
            seqs = seqs.transpose(0, 1)
            query = norm(seqs)
            attended, _ = attention(query, seqs, seqs, attn_mask=causal)
            seqs = (query + attended).transpose(0, 1)
            seqs = forward(forward_norm(seqs)) * timeline
        return self.last_norm(seqs)


def batch_loss(model, inputs, targets, negatives, n_items):
    hidden = model(inputs)
    mask = targets != 0
    h, positives = hidden[mask], targets[mask]
    table = model.item_emb.weight
    if args.loss == "bce":
        positive = (h * table[positives]).sum(-1)
        negative = (h * table[negatives[mask]]).sum(-1)
        bce = torch.nn.functional.binary_cross_entropy_with_logits
        return bce(positive, torch.ones_like(positive)) + bce(negative, torch.zeros_like(negative))
    if args.loss == "full-ce":
        return torch.nn.functional.cross_entropy(h @ table.T, positives)
    # sampled-ce: shared negatives; one that is a row's target is masked out for that row, as Tide does
    negative_ids = torch.randint(1, n_items + 1, (NEGATIVES,))
    positive = (h * table[positives]).sum(-1, keepdim=True)
    negative = (h @ table[negative_ids].T).masked_fill(negative_ids.unsqueeze(0) == positives.unsqueeze(1), -1e9)
    logits = torch.cat([positive, negative], dim=1)
    return torch.nn.functional.cross_entropy(logits, torch.zeros(len(logits), dtype=torch.int64))


def loaded_blas():
    """The BLAS libraries mapped into this process, and OpenBLAS's description of itself.

    Fails unless torch runs on OpenBLAS: Debian's torch takes whatever libblas.so.3 the alternatives
    system points at, and the reference BLAS would make the comparison meaningless.
    """
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and any(k in os.path.basename(fields[5]) for k in ("blas", "lapack", "mkl")):
                paths.add(fields[5])
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_set_num_threads(args.threads)
            config = lib.openblas_get_config().decode()
        except (OSError, AttributeError):
            continue
        variant = next((v for k, v in OPENBLAS_VARIANTS.items() if any(k in p for p in paths)), "unknown variant")
        return {"blas": f"{config} ({variant})", "blasThreads": lib.openblas_get_num_threads(), "blasLibraries": sorted(paths)}
    raise RuntimeError(
        f"torch is not using OpenBLAS (loaded: {', '.join(sorted(paths)) or 'no BLAS'}); run bench/torch/ensure-torch.sh"
    )


def main():
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    sequences, n_items = load_sequences(os.path.join(args.data, "sequences.txt.gz"))
    all_inputs, all_targets = windows(sequences)
    order = rng.permutation(len(sequences))
    batches = [order[b : b + BATCH] for b in range(0, len(order), BATCH)]
    model = SasRec(n_items)
    for name, param in model.named_parameters():
        if "norm" not in name and param.dim() > 1:
            torch.nn.init.xavier_normal_(param)  # pmixer's initialisation
    with torch.no_grad():
        model.item_emb.weight[0].zero_()
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.98))
    blas = loaded_blas()
    times = []
    for step in range(args.steps + WARMUP):
        ids = batches[step % len(batches)]
        inputs, targets = all_inputs[ids], all_targets[ids]
        negatives = bce_negatives(rng, inputs, targets, n_items) if args.loss == "bce" else None
        inputs, targets = torch.from_numpy(inputs), torch.from_numpy(targets)
        negatives = torch.from_numpy(negatives) if negatives is not None else None
        started = time.perf_counter()
        optimizer.zero_grad()
        loss = batch_loss(model, inputs, targets, negatives, n_items)
        loss.backward()
        optimizer.step()
        if step >= WARMUP:
            times.append(time.perf_counter() - started)
    if not np.isfinite(loss.item()):
        raise RuntimeError(f"the loss is {loss.item()}")
    per_step = sum(times) / len(times)  # the mean, as bench/train-step.ts reports it
    result = {
        "bench": "torch-step",
        "framework": "pytorch",
        "model": "sasrec",
        "loss": args.loss,
        "threads": args.threads,
        "config": {"dim": DIM, "maxLength": MAX_LENGTH, "blocks": BLOCKS, "dropout": DROPOUT, "batchSize": BATCH},
        "steps": args.steps,
        "secondsPerStep": per_step,
        "secondsPerStepMedian": statistics.median(times),
        "secondsPerEpoch": per_step * len(batches),
        "batchesPerEpoch": len(batches),
        "items": n_items,
        "lastLoss": loss.item(),
        "torch": torch.__version__,
        **blas,
        "peakRssMiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
