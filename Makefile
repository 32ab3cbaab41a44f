# The two commands a new user needs: `make book` and `make test`.
# Both set everything up first (scripts/setup.sh is idempotent).
.PHONY: setup book test check lint bench clean

setup:
	@scripts/setup.sh

book: setup
	.venv/bin/diaspora-book build

test: setup lint
	.venv/bin/python -m pytest -q

check: setup
	.venv/bin/diaspora-book check

lint: setup
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check src tests bench
	.venv/bin/mypy

# Pipeline vs bare pandoc + WeasyPrint at 10, 50 and 200 articles; writes bench/RESULTS.md.
# Options go in BENCH_ARGS, e.g. make bench BENCH_ARGS="--sizes 10 50 --repeats 5".
bench: setup
	.venv/bin/python -m bench $(BENCH_ARGS)

clean:
	rm -rf dist .cache
