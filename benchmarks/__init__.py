"""Speed and scale measurements, printed as `name = value` lines (run: python -m benchmarks)."""
