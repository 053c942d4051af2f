"""Generated news-like articles for benchmarks: names, places and organisations in varied sentences."""

from __future__ import annotations

import random

PEOPLE = [
    "Shehbaz Sharif", "Asim Munir", "Maria Lopez", "John Carter", "Aisha Rahman", "Chen Wei",
    "Fatima Khan", "David Miller", "Olga Petrova", "Ahmed Ali", "Sofia Rossi", "James Okafor",
]
PLACES = [
    "Islamabad", "Lahore", "Karachi", "Peshawar", "Quetta", "Zurich", "Manila", "Nairobi",
    "Berlin", "Washington", "Beijing", "Kabul", "London", "Tehran",
]
ORGS = [
    "the Ministry of Interior", "the United Nations", "the World Bank", "the Supreme Court",
    "Reuters", "the National Assembly", "the Red Cross", "the Election Commission",
    "the Central Bank", "Amnesty International",
]
TEMPLATES = [
    "{p} said on {d} that {o} would review the security situation in {l}.",
    "Speaking in {l}, {p} urged {o} to release funds for flood relief before {d}.",
    "{o} announced that {n} families in {l} had received support since {d}.",
    "According to {o}, prices in {l} rose by {n} percent over the past year.",
    "{p} met {p2} in {l} to discuss trade, officials told reporters.",
    "Protesters gathered outside the offices of {o} in {l}, demanding answers from {p}.",
    "The report, published by {o} on {d}, criticised the response of local authorities.",
    "\"We will not accept this decision,\" {p} told a crowd of supporters in {l}.",
    "Analysts in {l} expect {o} to raise interest rates again next month.",
    "Officials said {n} people were injured when the bridge near {l} collapsed.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "March 3"]


def article(rng: random.Random, words: int = 600) -> str:
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            sentence = rng.choice(TEMPLATES).format(
                p=rng.choice(PEOPLE), p2=rng.choice(PEOPLE), l=rng.choice(PLACES),
                o=rng.choice(ORGS), d=rng.choice(DAYS), n=rng.randint(2, 900),
            )
            sentences.append(sentence[0].upper() + sentence[1:])
            count += len(sentence.split())
        paragraphs.append(" ".join(sentences))
    title = f"{rng.choice(PEOPLE)} in {rng.choice(PLACES)}"
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def corpus(n: int, words: int = 600, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [article(rng, words) for _ in range(n)]
