# The two commands a new user needs: `make book` and `make test`.
# Both set everything up first (scripts/setup.sh is idempotent).
.PHONY: setup book test test-fast check lint bench clean

setup:
	@scripts/setup.sh

book: setup
	.venv/bin/diaspora-book build

# Every test, on every core (pytest-xdist): each file's tests in one process, so a
# book a module builds is built once. `test-fast`, for the edit loop, leaves out the
# books of ../shared/wikipedia (`corpus`) and the largest renders (`slow`).
PYTEST = .venv/bin/python -m pytest -q -n auto --dist loadfile

test: setup lint
	$(PYTEST)

test-fast: setup
	$(PYTEST) -m "not corpus and not slow"

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
