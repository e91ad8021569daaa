"""Compare two benchmark result files (the .md or the .json beside it) measurement by measurement.

python bench/compare.py bench/results/city-abc1234.md bench/results/city-def5678.md
"""

import json
import sys
from pathlib import Path


def load(path: str) -> tuple[dict, dict[str, dict]]:
    source = Path(path)
    if source.suffix == ".md" and source.with_suffix(".json").exists():
        source = source.with_suffix(".json")
    if source.suffix == ".json":
        data = json.loads(source.read_text(encoding="utf-8"))
        return data["header"], {f"{r['section']} / {r['name']}": r for r in data["results"]}
    return _from_markdown(source.read_text(encoding="utf-8"))


def _from_markdown(text: str) -> tuple[dict, dict[str, dict]]:
    header, rows = {}, {}
    for line in text.splitlines():
        if line.startswith("- ") and ": " in line:
            key, value = line[2:].split(": ", 1)
            header[key] = value
        elif line.startswith("| ") and not line.startswith(("| section", "| ---")):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            value = None if cells[2] == "—" else float(cells[2].replace(",", ""))
            queries = None if cells[6] == "—" else int(cells[6].replace(",", ""))
            met = cells[-2]  # tables before the "× bare form" column had one column fewer
            rows[f"{cells[0]} / {cells[1]}"] = {"value": value, "unit": cells[3], "queries": queries, "met": met}
    return header, rows


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    old_header, old = load(sys.argv[1])
    new_header, new = load(sys.argv[2])
    print(f"| measurement | {old_header.get('sha', 'old')} | {new_header.get('sha', 'new')} | change | queries |")
    print("| --- | ---: | ---: | ---: | --- |")
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key, {}), new.get(key, {})
        a, b = before.get("value"), after.get("value")
        change = f"{(b - a) / a:+.0%}" if a and b is not None else ""
        queries = (
            f"{before.get('queries')} → {after.get('queries')}" if before.get("queries") != after.get("queries") else ""
        )
        unit = after.get("unit") or before.get("unit") or ""
        print(f"| {key} ({unit}) | {'—' if a is None else a} | {'—' if b is None else b} | {change} | {queries} |")


if __name__ == "__main__":
    main()
