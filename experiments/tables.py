"""Markdown tables of the experiments' results (the JSON files that experiments/*.sh write).

Usage: python3 experiments/tables.py [runs/experiments] > tables.md
"""
import glob
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "runs/experiments"


def load(path):
    with open(path) as f:
        return json.load(f)


def quality_cell(q):
    sd = q.get("bootstrap_sd")
    return f"{q['frechet_distance']:.1f} ± {sd:.1f}" if sd is not None else f"{q['frechet_distance']:.1f}"


def nll_cell(l):
    h = l.get("hutchinson_standard_error")
    cell = f"{l['bits_per_dim']:.3f} ± {l['standard_error_over_images']:.3f}"
    return cell + (f" (H ± {h:.3f})" if h is not None else "")


floors = sorted(glob.glob(os.path.join(root, "floor", "real-*-quality.json")))
if floors:
    values = [load(p) for p in floors]
    print(f"Real MNIST training images against the test split, {values[0]['sample_count']} images per draw: "
          + ", ".join(quality_cell(v) for v in values) + "\n")

rows = []
for run in sorted(glob.glob(os.path.join(root, "*"))):
    for q in sorted(glob.glob(os.path.join(run, "eval-*-quality.json"))):
        name = os.path.basename(q)[len("eval-"):-len("-quality.json")]
        lpath = os.path.join(run, f"eval-{name}-likelihood.json")
        l = load(lpath) if os.path.exists(lpath) else None
        qv = load(q)
        rows.append((os.path.basename(run), name, l["step"] if l else "", quality_cell(qv), qv["sample_count"],
                     qv["covered_classes"], nll_cell(l) if l else "", l["images"] if l else ""))
if rows:
    print("| run | setting | steps | Fréchet distance | samples | classes ≥ 5 % | bits/dim | test images |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
    print()

# Paired differences: the settings of one run are evaluated on the same test images with the same
# dequantisation noise, so their difference has a much smaller standard error than either value.
paired = []
for run in sorted(glob.glob(os.path.join(root, "*"))):
    values = {}
    for p in sorted(glob.glob(os.path.join(run, "eval-*-likelihood.json"))):
        v = load(p)
        if "per_image" in v:
            values[os.path.basename(p)[len("eval-"):-len("-likelihood.json")]] = v["per_image"]
    base = next((k for k in ("a1.0", "level1.0-column1.0") if k in values), None)
    if base is None or len(values) < 2:
        continue
    for name, bits in values.items():
        if name == base:
            continue
        d = [x - y for x, y in zip(bits, values[base])]
        mean = sum(d) / len(d)
        se = (sum((x - mean) ** 2 for x in d) / (len(d) - 1) / len(d)) ** 0.5
        paired.append((os.path.basename(run), name, base, f"{mean:+.3f} ± {se:.3f}"))
if paired:
    print("Paired differences of bits/dim (same images and dequantisation noise; standard error over images):\n")
    print("| run | setting | minus | difference |")
    print("|---|---|---|---|")
    for r in paired:
        print("| " + " | ".join(r) + " |")
    print()

grid = sorted(glob.glob(os.path.join(root, "wavelet", "eval-level*-column*-likelihood.json")))
if grid:
    cells = {}
    for p in grid:
        name = os.path.basename(p)[len("eval-level"):-len("-likelihood.json")]
        level, column = name.split("-column")
        cells[(float(level), float(column))] = load(p)
    levels = sorted({k[0] for k in cells}); columns = sorted({k[1] for k in cells})
    print("Wavelet + column, bits/dim (rows: level a, columns: column a):\n")
    print("| level a \\ column a | " + " | ".join(f"{c:g}" for c in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for a in levels:
        print(f"| {a:g} | " + " | ".join(nll_cell(cells[(a, c)]) if (a, c) in cells else "" for c in columns) + " |")
