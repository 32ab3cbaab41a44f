"""The CI recipe shipped for users mirrors .ci/run: setup, check, strict build, artifact."""

import re
import tomllib

import yaml

from .conftest import REPO


def test_workflow_runs_setup_check_strict_build_and_uploads_dist():
    workflow = yaml.safe_load(
        (REPO / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
    )
    steps = workflow["jobs"]["book"]["steps"]
    commands = [step.get("run", "") for step in steps]
    assert "scripts/setup.sh" in commands
    assert ".venv/bin/diaspora-book check" in commands
    assert ".venv/bin/diaspora-book build --strict" in commands
    upload = next(
        step for step in steps if step.get("uses", "").startswith("actions/upload-artifact")
    )
    assert upload["with"]["path"] == "dist/"
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci_run
    assert "scripts/setup.sh" in (REPO / "Makefile").read_text(encoding="utf-8")


def test_shard_recipe_runs_one_share_per_matrix_job_and_collects_them():
    workflow = yaml.safe_load(
        (REPO / ".github" / "workflows" / "shards.yml").read_text(encoding="utf-8")
    )
    job = workflow["jobs"]["shard"]
    shards = job["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(job["env"]["SHARDS"]) + 1))
    commands = [step.get("run", "") for step in job["steps"]]
    share = "--shard ${{ matrix.shard }}/${{ env.SHARDS }}"
    assert any(c.startswith(".venv/bin/diaspora-book handouts " + share) for c in commands)
    assert any("build --catalogue catalogue.yml " + share in c for c in commands)
    assert workflow["jobs"]["collect"]["needs"] == "shard"


def test_make_test_runs_everything_on_every_core_and_test_fast_leaves_out_the_slow():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    pytest_line = next(line for line in makefile.splitlines() if line.startswith("PYTEST ="))
    options = pytest_line.split("pytest", 1)[1].strip()
    assert options == "-q -n auto --dist loadfile"
    targets = dict(re.findall(r"^([\w-]+):.*\n\t(.*)$", makefile, flags=re.MULTILINE))
    assert targets["test"] == "$(PYTEST)"  # everything: the corpus and slow tests too
    assert targets["test-fast"] == '$(PYTEST) -m "not corpus and not slow"'
    markers = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    registered = markers["tool"]["pytest"]["ini_options"]["markers"]
    assert {m.split(":")[0] for m in registered} >= {"corpus", "slow"}
    # The CI recipe runs the same tests the same way.
    workflow = yaml.safe_load(
        (REPO / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
    )
    commands = [step.get("run", "") for step in workflow["jobs"]["book"]["steps"]]
    assert f".venv/bin/python -m pytest {options}" in commands
