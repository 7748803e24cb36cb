"""The version: from the latest git tag, with a fallback where there is no git history."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.packaging.conftest import ROOT, pip, run

GIT = ("git", "-c", "user.name=Release", "-c", "user.email=release@example.org",
       "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
       "-c", "tag.gpgsign=false")  # fmt: skip
# Everything a build reads: the package, its metadata and the files it names.
BUILD_INPUTS = ("src", "pyproject.toml", "README.md", "LICENSE", "NOTICE")


def _source_tree(dest: Path) -> Path:
    """This checkout's build inputs (as they are now, edits included), without git."""
    dest.mkdir()
    for name in BUILD_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            shutil.copy(source, dest / name)
    return dest


def _wheel_version(tree: Path, out: Path) -> str:
    pip("wheel", "--no-deps", "--wheel-dir", out, tree)
    (wheel,) = out.glob("townhall-*.whl")
    return wheel.name.split("-")[1]


def test_version_is_the_latest_tag_and_counts_commits_after_it(tmp_path):
    tree = _source_tree(tmp_path / "repo")
    run(*GIT, "init", "-q", cwd=tree)
    run(*GIT, "add", ".", cwd=tree)
    run(*GIT, "commit", "-q", "-m", "First release", cwd=tree)
    run(*GIT, "tag", "v1.4.0", cwd=tree)
    assert _wheel_version(tree, tmp_path / "tagged") == "1.4.0"
    (tree / "NOTICE").write_text((tree / "NOTICE").read_text() + "\n")
    run(*GIT, "commit", "-q", "-am", "A change after the release", cwd=tree)
    after = _wheel_version(tree, tmp_path / "after")
    assert re.fullmatch(r"1\.4\.1\.dev1\+g[0-9a-f]+", after), after


def test_tree_without_git_builds_as_the_fallback_version(tmp_path):
    tree = _source_tree(tmp_path / "export")
    assert _wheel_version(tree, tmp_path / "out") == "0.0.0"
