"""The measurements of the benchmark suite; each module runs as its own process (see bench/run.py)
and prints its results as JSON lines, so memory and crashes stay with the measurement."""
