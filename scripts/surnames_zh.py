#!/usr/bin/env python3
"""Build grammars/surnames-zh.list from the npm package chinese-surnames@1.0.0 (MIT).

    npm pack chinese-surnames@1.0.0 && tar xzf chinese-surnames-1.0.0.tgz
    python3 scripts/surnames_zh.py package/index.json > grammars/surnames-zh.list

galley uses the surnames to tell a line of names (a byline under a title: 李洪兴, 洪 勇) from a
short heading (亮点).
"""
import json
import sys

names = sorted(set(json.load(open(sys.argv[1], encoding="utf-8"))), key=lambda w: w.encode())
sys.stdout.write("# Chinese surnames (npm chinese-surnames@1.0.0, MIT), one a line.\n")
for n in names:
    sys.stdout.write(n + "\n")
