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
	.venv/bin/ruff check src tests
	.venv/bin/ruff format --check src tests
	.venv/bin/mypy

clean:
	rm -rf dist .cache
