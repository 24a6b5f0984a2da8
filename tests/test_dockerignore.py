"""tests/dockerimage.py reads .dockerignore as Docker does, not as git reads .gitignore: the
examples of Docker's documentation and of moby/patternmatcher's tests."""

from __future__ import annotations

import pytest

from tests.dockerimage import DockerIgnore, read_dockerignore


def ignore(*lines: str) -> DockerIgnore:
    return DockerIgnore(read_dockerignore("\n".join(lines)))


@pytest.mark.parametrize(
    ("rules", "path", "excluded"),
    [
        # A pattern is a path from the context root; a folder takes its contents with it.
        (["tests"], "tests/conftest.py", True),
        (["tests"], "communities/tests/test_x.py", False),  # git would exclude this one
        (["/tests/"], "tests/a/b.py", True),
        (["./var"], "var/media/a.jpg", True),
        # `*` and `?` stay within one folder.
        (["*/temp*"], "somedir/temporary.txt", True),
        (["*/temp*"], "temp.txt", False),
        (["*/temp*"], "a/b/temp.txt", False),
        (["*/*/temp*"], "a/b/temp.txt", True),
        (["temp?"], "tempa", True),
        (["temp?"], "tempab", False),
        (["*.md"], "README.md", True),
        (["*.md"], "docs/adr/0001.md", False),
        # `**` crosses any number of folders, none included.
        (["**/*.go"], "main.go", True),
        (["**/*.go"], "a/b/c/main.go", True),
        (["**/__pycache__"], "kenniscloud/common/__pycache__/views.cpython-311.pyc", True),
        (["dir/**"], "dir/a/b", True),
        (["dir/**"], "other/a", False),
        (["a/**/b"], "a/b", True),
        (["a/**/b"], "a/x/y/b", True),
        # Character classes and escapes.
        (["**/*.py[co]"], "a/b.pyc", True),
        (["**/*.py[co]"], "a/b.py", False),
        (["[!a]*"], "bcd", False),  # Go has no `!` negation in classes; `^` it is
        (["[^a]*"], "bcd", True),
        (["file\\*"], "file*", True),
        (["file\\*"], "filex", False),
        # `!` takes a path back in; the last matching rule wins.
        (["*.md", "!README*.md", "README-secret.md"], "README.md", False),
        (["*.md", "!README*.md", "README-secret.md"], "README-secret.md", True),
        (["*.md", "!README*.md", "README-secret.md"], "CHANGELOG.md", True),
        (["tests", "!tests/keep.py"], "tests/keep.py", False),
        (["tests", "!tests/keep.py"], "tests/other.py", True),
        # Comments and blank lines are not rules.
        (["# tests", "", "  "], "tests/a.py", False),
    ],
)
def test_dockerignore_rules(rules, path, excluded):
    assert ignore(*rules).excludes(path) is excluded
