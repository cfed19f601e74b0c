#!/usr/bin/env python3
"""Generate the AdaMix4j DEMO sentiment data set (synthetic, SST-2 format).

Writes train.tsv (400 rows) and dev.tsv (100 rows), header "sentence<TAB>label",
label 0 = negative, 1 = positive, balanced in both files, no sentence repeated
anywhere. Every sentence is built from the hand-written word lists and templates
below; no text comes from GLUE or any other data set.

The templates are chosen so that a model has to read the sentence, not spot a
word: polar words are negated ("was not good", "was never boring"), clauses are
contrasted ("X was dull, but Y was superb": the clause after "but" decides;
"X was superb, even though Y was dull": the main clause decides), and some
negations do not flip ("could not have been more delightful"). Still, the
patterns are few and regular, so a small pretrained sentence encoder learns
them in a few epochs.

Deterministic: a fixed seed and Python's random.Random (whose choice/shuffle
are stable across Python 3 versions); no set or hash ordering is used.

Usage (from the module dir):
    python3 tools/make_demo_data.py            # (re)write the resources
    python3 tools/make_demo_data.py --check    # exit 1 if the files differ
"""

import argparse
import pathlib
import random
import sys

SEED = 4242
N_TRAIN = 400
N_DEV = 100

DEFAULT_OUT = (pathlib.Path(__file__).resolve().parent.parent
               / "src" / "main" / "resources" / "org" / "adamix4j" / "eval" / "demo")

# Things people review: films, food, places, books, gadgets. All singular, so
# "was" always agrees.
SUBJECTS = [
    "the film", "the plot", "the acting", "the ending", "the soundtrack",
    "the dialogue", "the opening scene", "the lead actor", "the sequel",
    "the soup", "the service", "the dessert", "the coffee", "the pasta",
    "the menu", "the bakery", "the hotel room", "the view", "the breakfast",
    "the staff", "the tour", "the museum", "the beach", "the novel",
    "the first chapter", "the narrator", "the poem", "the cover art",
    "the battery", "the screen", "the keyboard", "the camera", "the app",
    "the speaker", "the game", "the concert", "the show", "the podcast",
]

# Adjectives are "gradable" (take "very", "quite", ...) or "extreme" (take
# "absolutely", "simply", ...), so intensified phrases read naturally.
POSITIVE_GRADABLE = ["good", "nice", "pleasant", "enjoyable", "impressive",
                     "lovely", "satisfying", "memorable", "solid"]
POSITIVE_EXTREME = ["excellent", "wonderful", "delightful", "superb",
                    "fantastic", "brilliant", "outstanding"]
NEGATIVE_GRADABLE = ["bad", "dull", "boring", "disappointing", "poor", "bland",
                     "unpleasant", "mediocre", "tedious", "annoying", "clumsy"]
NEGATIVE_EXTREME = ["terrible", "awful", "dreadful", "horrible", "dismal",
                    "abysmal"]
POSITIVE = POSITIVE_GRADABLE + POSITIVE_EXTREME
NEGATIVE = NEGATIVE_GRADABLE + NEGATIVE_EXTREME
EXTREME = POSITIVE_EXTREME + NEGATIVE_EXTREME

GRADABLE_INTENSIFIERS = ["", "", "really", "very", "quite", "rather",
                         "surprisingly", "genuinely", "fairly"]
EXTREME_INTENSIFIERS = ["", "", "really", "truly", "absolutely", "simply",
                        "genuinely"]

POS_VERBS = ["loved", "enjoyed", "liked", "adored", "admired"]
NEG_VERBS = ["hated", "disliked", "regretted", "resented", "could not stand"]
NEG_OF_POS_VERBS = ["did not like", "did not enjoy", "never liked",
                    "could not enjoy"]


def adjectives(polarity):
    return POSITIVE if polarity == 1 else NEGATIVE


def intensifier(rng, adj):
    """An intensifier that fits the adjective (possibly none)."""
    return rng.choice(EXTREME_INTENSIFIERS if adj in EXTREME else GRADABLE_INTENSIFIERS)


def cap(s):
    return s[0].upper() + s[1:]


def phrase(*words):
    return " ".join(w for w in words if w)


# Each template takes (rng, label) and returns a sentence whose sentiment is
# `label` (1 positive, 0 negative). The label is decided here, by construction.

def t_plain(rng, label):
    adj = rng.choice(adjectives(label))
    return cap(phrase(rng.choice(SUBJECTS), rng.choice(["was", "is"]),
                      intensifier(rng, adj), adj)) + "."


def t_two_adjectives(rng, label):
    a, b = rng.sample(adjectives(label), 2)
    return cap(phrase(rng.choice(SUBJECTS), "was", a, "and", b)) + "."


def t_negated(rng, label):
    # The polar word has the opposite sign of the label; the negation flips it.
    subj = rng.choice(SUBJECTS)
    if label == 0:  # negated positive word
        adj = rng.choice(POSITIVE)
        form = rng.randrange(4)
        if form == 0:
            degree = "" if adj in EXTREME else rng.choice(["", "very", "really", "particularly"])
            s = phrase(subj, "was not", degree, adj)
        elif form == 1:
            s = phrase(subj, "was not", adj, "at all")
        elif form == 2:
            s = phrase("nothing about", subj, "was", adj)
        else:
            s = phrase("I would not call", subj, adj)
    else:  # negated negative word
        adj = rng.choice(NEGATIVE)
        form = rng.randrange(4)
        if form == 0:
            s = phrase(subj, "was never", adj)
        elif form == 1:
            s = phrase(subj, "was not", adj, "at all")
        elif form == 2:
            s = phrase(subj, "was anything but", adj)
        else:
            s = phrase("I would not call", subj, adj)
    return cap(s) + "."


def t_contrast(rng, label):
    # Two clauses of opposite sentiment; the structure says which one counts.
    s1, s2 = rng.sample(SUBJECTS, 2)
    win = rng.choice(adjectives(label))
    lose = rng.choice(adjectives(1 - label))
    form = rng.randrange(3)
    if form == 0:    # "..., but <decisive>"
        s = phrase(s1, "was", lose) + ", but " + phrase(s2, "was", intensifier(rng, win), win)
    elif form == 1:  # "Although ..., <decisive>"
        s = phrase("although", s1, "was", lose) + ", " + phrase(s2, "was", intensifier(rng, win), win)
    else:            # "<decisive>, even though ..."
        s = phrase(s1, "was", intensifier(rng, win), win) + ", even though " + phrase(s2, "was", lose)
    return cap(s) + "."


def t_verb(rng, label):
    subj = rng.choice(SUBJECTS)
    form = rng.randrange(3)
    if label == 1:
        if form == 0:
            s = phrase("I", rng.choice(POS_VERBS), subj)
        elif form == 1:
            s = phrase("I would recommend", subj, "to anyone")
        else:
            s = phrase("I could not stop talking about", subj)
    else:
        if form == 0:
            s = phrase("I", rng.choice(NEG_VERBS), subj)
        elif form == 1:
            s = phrase("I would not recommend", subj, "to anyone")
        else:
            s = phrase("I", rng.choice(NEG_OF_POS_VERBS), subj)
    return cap(s) + "."


def t_expectation(rng, label):
    subj = rng.choice(SUBJECTS)
    expected = rng.choice(adjectives(1 - label))
    actual = rng.choice(adjectives(label))
    return cap(phrase("I expected", subj, "to be", expected)) + ", but it was " + actual + "."


def t_non_flipping_negation(rng, label):
    # A "not" that does not flip the sentiment.
    subj = rng.choice(SUBJECTS)
    form = rng.randrange(2)
    if form == 0:
        s = phrase(subj, "could not have been more", rng.choice(adjectives(label)))
    else:
        s = phrase(subj, "could not have been", "better" if label == 1 else "worse")
    return cap(s) + "."


# (template, weight): simple sentences dominate so the task stays learnable.
TEMPLATES = [
    (t_plain, 30),
    (t_two_adjectives, 8),
    (t_negated, 22),
    (t_contrast, 18),
    (t_verb, 12),
    (t_expectation, 5),
    (t_non_flipping_negation, 5),
]


def generate(rng, n, seen):
    """n sentences, n/2 per label, none in `seen` (updated), shuffled."""
    funcs = [f for f, _ in TEMPLATES]
    weights = [w for _, w in TEMPLATES]
    rows = []
    for label in (0, 1):
        made = 0
        while made < n // 2:
            template = rng.choices(funcs, weights)[0]
            sentence = template(rng, label)
            if sentence.lower() in seen:
                continue
            seen[sentence.lower()] = True
            rows.append((sentence, label))
            made += 1
    rng.shuffle(rows)
    return rows


def render(rows):
    lines = ["sentence\tlabel"]
    for sentence, label in rows:
        assert "\t" not in sentence and "\n" not in sentence
        lines.append(f"{sentence}\t{label}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT,
                        help="output folder (default: the eval module's demo resources)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the files on disk differ")
    args = parser.parse_args()

    rng = random.Random(SEED)
    seen = {}  # dict, not set: insertion-ordered and no hash-order dependence
    files = {"train.tsv": render(generate(rng, N_TRAIN, seen)),
             "dev.tsv": render(generate(rng, N_DEV, seen))}

    if args.check:
        stale = [name for name, text in files.items()
                 if not (args.out / name).is_file()
                 or (args.out / name).read_text(encoding="utf-8") != text]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("demo data up to date")
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        # newline="\n": identical bytes on every OS.
        with open(args.out / name, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print(f"wrote {N_TRAIN} train and {N_DEV} dev rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
