"""The layer under every other: settings, the shared vocabulary, text safety, the error root.

It imports nothing of ours, so every package may import it and it can never take part in an
import cycle (the contract in pyproject.toml, checked by ``make lint``).
"""
