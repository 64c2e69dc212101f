"""The numpy reference for the scale bench: the same evaluation routegate's offline ad-hoc eval does
on the synthetic data (bench/scale/generate.ts), as a plain script. It reads the dataset and the
recorded outcomes, scores them exactly (output == expected, trimmed), prices each answer from its
usage, and sweeps the length router's thresholds with one sort and prefix sums.

Usage: python3 bench/scale/reference.py ITEMS.jsonl OUTCOMES.jsonl WEAK:IN:OUT STRONG:IN:OUT
(IN and OUT: USD per 1M tokens). Prints one JSON object: per-model quality and cost per 1k items,
and the number of swept thresholds.
"""

import json
import sys

import numpy as np


def main() -> None:
    items_file, outcomes_file, *specs = sys.argv[1:]
    models = [s.split(":") for s in specs]
    index, expected, lengths = {}, [], []
    with open(items_file, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                item = json.loads(line)
                index[str(item["id"])] = len(expected)
                expected.append(str(item["expected"]).strip())
                lengths.append(len(item["input"]))
    n = len(expected)
    k_of = {m[0]: k for k, m in enumerate(models)}
    score = np.zeros((len(models), n))
    cost = np.zeros((len(models), n))
    with open(outcomes_file, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            k = k_of.get(rec["model"])
            if k is None:
                continue
            i = index[rec["itemId"]]
            score[k, i] = 1.0 if "error" not in rec and rec["output"].strip() == expected[i] else 0.0
            usage = rec.get("usage") or {}
            _, price_in, price_out = models[k]
            cost[k, i] = (usage.get("inputTokens", 0) * float(price_in) + usage.get("outputTokens", 0) * float(price_out)) / 1e6

    # Length router: longer inputs go to the strong model; one sort, prefix sums per threshold.
    rank = np.asarray(lengths)
    order = np.argsort(rank, kind="stable")
    weak, strong = 0, len(models) - 1
    q_weak = np.concatenate([[0.0], np.cumsum(score[weak, order])])
    q_strong = np.concatenate([[0.0], np.cumsum(score[strong, order][::-1])])[::-1]
    c_weak = np.concatenate([[0.0], np.cumsum(cost[weak, order])])
    c_strong = np.concatenate([[0.0], np.cumsum(cost[strong, order][::-1])])[::-1]
    thresholds = np.unique(rank)
    cut = np.searchsorted(rank[order], thresholds, side="left")
    quality = (q_weak[cut] + q_strong[cut]) / n
    spend = (c_weak[cut] + c_strong[cut]) / n * 1000
    print(
        json.dumps(
            {
                "items": n,
                "models": {m[0]: {"quality": float(score[k].mean()), "costPer1k": float(cost[k].mean() * 1000)} for k, m in enumerate(models)},
                "thresholds": int(len(thresholds)),
                "bestQuality": float(quality.max()),
                "cheapestCostPer1k": float(spend.min()),
            }
        )
    )


main()
