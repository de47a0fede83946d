#!/usr/bin/env python3
"""Generate a tracker for benchmarks: M watch items and N developments.

Writes watch-items.csv and developments.csv (the timeline CSV, every column
filled, as a colleague's export would be) into OUTDIR. The text is meant to be
awkward: commas, quotes, newlines inside cells, non-Latin scripts, cells that
need the formula guard. Deterministic for a given N, M and --seed.

    scripts/gen_bench_data.py 1000000 50 target/bench/1m
"""
import argparse
import csv
import os
import random

KINDS = ["plan-release", "org-launch", "response", "counter-move", "funding",
         "product-launch", "statement", "other"]
STATUSES = ["emerging", "developing", "stalled", "realised", "dropped"]
ACTORS = ["US", "China", "EU", "India", "UN", "Japan", "Brazil", "African Union",
          "G7", "G20", "OECD", "ASEAN", "中国", "欧盟", "भारत", "Россия", "المملكة العربية السعودية",
          "Türkiye", "Côte d'Ivoire", "Korea, Republic of"] + [f"Agency {i}" for i in range(180)]
WORDS = ("ministry council plan summit framework standards export controls compute chips "
         "governance cooperation funding partnership regulation safety open-source data "
         "infrastructure talks proposal review launch pilot treaty agency").split()
SCRIPTS = ["人工智能治理", "全球合作", "déclaration", "संयुक्त बयान", "заявление", "بيان مشترك"]
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def headline(rng):
    words = rng.sample(WORDS, rng.randint(4, 9))
    text = " ".join(words).capitalize()
    roll = rng.random()
    if roll < 0.15:
        text += ", " + rng.choice(SCRIPTS)
    elif roll < 0.25:
        text = f'"{text}", officials say'
    elif roll < 0.28:
        text = "=" + text            # needs the formula guard
    elif roll < 0.31:
        text = "-" + text
    return text


def summary(rng):
    if rng.random() < 0.2:
        return ""
    sentences = []
    for _ in range(rng.randint(1, 4)):
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
        sentences.append(sentence.capitalize() + ".")
    text = " ".join(sentences)
    if rng.random() < 0.1:
        text += "\nSecond paragraph: " + rng.choice(SCRIPTS) + ', "quoted", with commas.'
    return text


def date(rng):
    year = rng.randint(2015, 2025)  # all in the past: trackers log what happened
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    roll = rng.random()
    if roll < 0.75:
        text, precision = f"{year:04}-{month:02}-{day:02}", "day"
    elif roll < 0.95:
        text, precision = f"{year:04}-{month:02}", "month"
    else:
        text, precision = f"{year:04}", "year"
    if rng.random() < 0.05:
        text += rng.choice("?~%")
    return text, precision


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("developments", type=int)
    parser.add_argument("watch_items", type=int)
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)

    slugs = [f"item-{i:04}" for i in range(args.watch_items)]
    with open(os.path.join(args.outdir, "watch-items.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["slug", "title", "description", "opened", "tags"])
        for i, slug in enumerate(slugs):
            w.writerow([slug, f"Watch item {i}: " + headline(rng), summary(rng), "2015-01", "bench;generated"])

    seen = set()
    with open(os.path.join(args.outdir, "developments.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["id", "date", "precision", "kind", "watch", "actors", "headline", "summary",
                    "sources", "recorded_at"])
        for n in range(args.developments):
            while True:
                dev_id = "".join(rng.choice(ALPHABET) for _ in range(10))
                if dev_id not in seen:
                    seen.add(dev_id)
                    break
            text, precision = date(rng)
            links = []
            for slug in rng.sample(slugs, min(len(slugs), rng.choice([1, 1, 1, 2]))):
                links.append(slug + ("=" + rng.choice(STATUSES) if rng.random() < 0.2 else ""))
            actors = rng.sample(ACTORS, rng.randint(1, 3))
            sources = [f"https://news.example/{rng.randint(1, 10**9)}" for _ in range(rng.randint(0, 2))]
            recorded = f"2026-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}T{n % 24:02}:{n % 60:02}:{(n // 60) % 60:02}.{n % 1000000:06}Z"
            cells = [dev_id, text, precision, rng.choice(KINDS), ";".join(links), ";".join(actors),
                     headline(rng), summary(rng), ";".join(sources), recorded]
            # The formula guard, as lookout writes it.
            cells = ["'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r", "'") else c for c in cells]
            w.writerow(cells)


if __name__ == "__main__":
    main()
