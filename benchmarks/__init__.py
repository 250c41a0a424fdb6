"""Ratio benchmarks: our work against a bare baseline of the same job, in one process."""
