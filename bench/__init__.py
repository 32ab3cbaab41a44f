"""Benchmarks: the pipeline against bare pandoc + WeasyPrint, at 10, 50 and 200 articles.

`python -m bench` (or `make bench`) runs them and writes `bench/RESULTS.md`.
"""
