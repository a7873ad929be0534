"""Benchmarks of the komfortkasse client against loopback servers (``python bench/run.py``).

A package so that ``run.py``, the per-benchmark modules and the subprocess
children (``python -m bench._memory_child``) share helpers under one name that
mypy resolves the same way the interpreter does.
"""
