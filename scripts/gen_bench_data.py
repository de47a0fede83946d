#!/usr/bin/env python3
"""Generate a tracker for benchmarks: M watch items and N developments.

Writes watch-items.csv and developments.csv into OUTDIR, in one of two shapes:

  mixed (the default): the timeline CSV, every column filled, as a colleague's
      export would be. The text is meant to be awkward: commas, quotes,
      newlines inside cells, non-Latin scripts, cells that need the formula
      guard; 1-2 links, 0-2 sources, 75 % day-precise dates.
  text: shaped like a real tracker, a user's own spreadsheet (issue 24): no
      id and no recorded_at column (lookout assigns them), 90 % day / 8 %
      month / 2 % year dates, headlines of 6-15 words and summaries of 15-85
      from a vocabulary of a few thousand words, 1-3 actors, one source URL,
      one link (10 % two). Also writes developments-ids.csv: the same rows
      with an id column, 8 characters of lookout's alphabet, all distinct.

Deterministic for a given N, M, shape and --seed.

    scripts/gen_bench_data.py 1000000 50 target/bench/1m
    scripts/gen_bench_data.py --shape text 200000 50 target/bench/200k-text
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


def vocabulary(rng, size=4000):
    """Words for the text shape: WORDS and made-up ones of two to four
    syllables, most common first (drawn with weights 1/rank, as words in
    prose are)."""
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"] + ["tion", "ment", "ity", "al"]
    words, seen = list(WORDS), set(WORDS)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    rng.shuffle(words)
    weights, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        weights.append(total)
    return words, weights


def prose(rng, vocab, low, high):
    words, weights = vocab
    return " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(low, high)))


def text_date(rng):
    year, month, day = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
    roll = rng.random()
    if roll < 0.90:
        return f"{year:04}-{month:02}-{day:02}"
    if roll < 0.98:
        return f"{year:04}-{month:02}"
    return f"{year:04}"


def write_watch(outdir, rng, slugs):
    with open(os.path.join(outdir, "watch-items.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["slug", "title", "description", "opened", "tags"])
        for i, slug in enumerate(slugs):
            w.writerow([slug, f"Watch item {i}: " + headline(rng), summary(rng), "2015-01", "bench;generated"])


def write_mixed(outdir, rng, slugs, count):
    seen = set()
    with open(os.path.join(outdir, "developments.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["id", "date", "precision", "kind", "watch", "actors", "headline", "summary",
                    "sources", "recorded_at"])
        for n in range(count):
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


def write_text(outdir, rng, slugs, count):
    """The text shape (module docs): developments.csv without ids, and
    developments-ids.csv, the same rows with them."""
    vocab = vocabulary(rng)
    seen = set()
    header = ["date", "kind", "watch", "actors", "headline", "summary", "sources"]
    with open(os.path.join(outdir, "developments.csv"), "w", newline="", encoding="utf-8") as bare, \
            open(os.path.join(outdir, "developments-ids.csv"), "w", newline="", encoding="utf-8") as ided:
        without, with_ids = csv.writer(bare, lineterminator="\r\n"), csv.writer(ided, lineterminator="\r\n")
        without.writerow(header)
        with_ids.writerow(["id"] + header)
        for _ in range(count):
            while True:
                dev_id = "".join(rng.choice(ALPHABET) for _ in range(8))
                if dev_id not in seen:
                    seen.add(dev_id)
                    break
            links = []
            for slug in rng.sample(slugs, min(len(slugs), 2 if rng.random() < 0.1 else 1)):
                links.append(slug + ("=" + rng.choice(STATUSES) if rng.random() < 0.2 else ""))
            title = prose(rng, vocab, 6, 15)
            cells = [text_date(rng), rng.choice(KINDS), ";".join(links),
                     ";".join(rng.sample(ACTORS, rng.randint(1, 3))),
                     title[0].upper() + title[1:], prose(rng, vocab, 15, 85).capitalize() + ".",
                     f"https://news.example/{rng.choice(vocab[0][:200])}/{rng.randint(1, 10**9)}"]
            without.writerow(cells)
            with_ids.writerow([dev_id] + cells)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("developments", type=int)
    parser.add_argument("watch_items", type=int)
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--shape", choices=["mixed", "text"], default="mixed")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    slugs = [f"item-{i:04}" for i in range(args.watch_items)]
    write_watch(args.outdir, rng, slugs)
    if args.shape == "text":
        write_text(args.outdir, rng, slugs, args.developments)
    else:
        write_mixed(args.outdir, rng, slugs, args.developments)


if __name__ == "__main__":
    main()
