#!/usr/bin/env python3
"""Writes the comparison's inputs (the `input` field of GradBench evaluate messages) as JSON files.

Python standard library only (this machine has no numpy). The shapes and distributions follow GradBench's
eval generators (uniform [0, 1) for lse, llsq, det, ode and lstm; normal and uniform for gmm; ba from
GradBench's own data files), but the random streams are Python's, seeded per case, so the numbers are not
the ones GradBench's evals would send. lstm's `sequence` is the 14-bit encoding of synthetic ASCII text
(GradBench reads a text file that is not in the stored snapshot).

usage: gen_inputs.py OUT_DIR BA_DATA_DIR [CASE ...]     (no CASE: all of CASES)
"""

import json
import os
import random
import sys

SEED = 31337


def uniform(rng, n):
    return [rng.random() for _ in range(n)]


def normal(rng, n):
    return [rng.gauss(0.0, 1.0) for _ in range(n)]


def lse(rng, n):
    return {"x": uniform(rng, n)}


def llsq(rng, m, n):
    return {"x": uniform(rng, m), "n": n}


def det(rng, ell):
    return {"A": uniform(rng, ell * ell), "ell": ell}


def ode(rng, n, s):
    return {"x": uniform(rng, n), "s": s}


def gmm(rng, d, k, n, m=0, gamma=1.0):
    # Same fields, order and distributions as GradBench's gmm generator.
    return {
        "d": d,
        "k": k,
        "n": n,
        "x": [normal(rng, d) for _ in range(n)],
        "m": m,
        "gamma": gamma,
        "alpha": normal(rng, k),
        "mu": [uniform(rng, d) for _ in range(k)],
        "q": [normal(rng, d) for _ in range(k)],
        "l": [normal(rng, d * (d - 1) // 2) for _ in range(k)],
    }


def lstm(rng, l, c, bits=14):
    # GradBench: the first c characters of a text, each as `bits` binary digits (most significant first),
    # bits = ceil(log2(max code point)) (14 for its text); state, main and extra parameters uniform [0, 1).
    alphabet = "abcdefghijklmnopqrstuvwxyz     ,.ETAOIN\n"
    text = "".join(rng.choice(alphabet) for _ in range(c))
    sequence = [[float(b) for b in bin(ord(ch))[2:].zfill(bits)] for ch in text]
    return {
        "main_params": [uniform(rng, 4 * bits) for _ in range(2 * l)],
        "extra_params": [uniform(rng, bits) for _ in range(3)],
        "state": [uniform(rng, bits) for _ in range(2 * l)],
        "sequence": sequence,
    }


def ba(data_dir, i):
    # GradBench's ba parser: "n m p", then one camera (11), one point (3), one weight, one feature (2).
    name = next(f for f in sorted(os.listdir(data_dir)) if f.startswith(f"ba{i}_"))
    with open(os.path.join(data_dir, name)) as f:
        lines = f.read().splitlines()
    n, m, p = [int(v) for v in lines[0].split()]
    return {
        "n": n,
        "m": m,
        "p": p,
        "cam": [float(v) for v in lines[1].split()],
        "x": [float(v) for v in lines[2].split()],
        "w": float(lines[3]),
        "feat": [float(v) for v in lines[4].split()],
    }


# case name -> (module, description, generator(rng, ba_dir))
CASES = {
    "lse-100000": ("lse", "n=100000", lambda r, _: lse(r, 100_000)),
    "llsq-128-4096": ("llsq", "m=128 n=4096", lambda r, _: llsq(r, 128, 4096)),
    "gmm-2-5-1000": ("gmm", "d=2 K=5 n=1000", lambda r, _: gmm(r, 2, 5, 1000)),
    "gmm-10-25-1000": ("gmm", "d=10 K=25 n=1000", lambda r, _: gmm(r, 10, 25, 1000)),
    "gmm-64-100-1000": ("gmm", "d=64 K=100 n=1000", lambda r, _: gmm(r, 64, 100, 1000)),
    "lstm-2-1024": ("lstm", "l=2 c=1024", lambda r, _: lstm(r, 2, 1024)),
    "ode-10000-10": ("ode", "n=10000 s=10", lambda r, _: ode(r, 10_000, 10)),
    "ba1": ("ba", "ba1 n=49 m=7776 p=31843", lambda _, d: ba(d, 1)),
    "ba5": ("ba", "ba5 n=257 m=65132 p=225911", lambda _, d: ba(d, 5)),
    "det-7": ("det", "ell=7", lambda r, _: det(r, 7)),
}


def main():
    out_dir, ba_dir, *names = sys.argv[1:]
    os.makedirs(out_dir, exist_ok=True)
    for name in names or CASES:
        module, description, make = CASES[name]
        path = os.path.join(out_dir, name + ".json")
        rng = random.Random(f"{SEED}-{name}")
        data = make(rng, ba_dir)
        with open(path, "w") as f:
            json.dump(data, f)
        print(f"{path}\t{module}\t{description}")


if __name__ == "__main__":
    main()
