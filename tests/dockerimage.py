"""The files a Docker image gets from its build context, without Docker.

Reads the Dockerfile's COPY/ADD instructions of the final stage and the `.dockerignore` rules,
and lays the resulting files out in a directory as the image would have them. The rules are
Docker's own (github.com/moby/patternmatcher), not .gitignore's: a pattern is a path from the
context root, matched with Go's filepath.Match plus `**`; a pattern that matches a folder
excludes everything in it; `!` takes a path back in; the last matching rule wins.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

# --- .dockerignore ---------------------------------------------------------------------------


def read_dockerignore(text: str) -> list[str]:
    """The patterns of a .dockerignore file, cleaned as moby's ignorefile.ReadAll does."""
    patterns = []
    for line in text.removeprefix("\ufeff").splitlines():
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip()
        if pattern:
            pattern = posixpath.normpath(pattern)  # Go's filepath.Clean
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern.lstrip("/")
        patterns.append(("!" if invert else "") + pattern)
    return patterns


def _compile(pattern: str) -> re.Pattern:
    """Go's filepath.Match syntax plus `**`, as a regular expression (patternmatcher.compile)."""
    regex = "^"
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 1
                if i + 1 < n and pattern[i + 1] == "/":  # `**/` is `**`
                    i += 1
                # `**` at the end matches everything; elsewhere any number of folders, even 0.
                regex += ".*" if i + 1 == n else "(.*/)?"
            else:
                regex += "[^/]*"
        elif ch == "?":
            regex += "[^/]"
        elif ch == "\\":
            if i + 1 < n:
                i += 1
                regex += re.escape(pattern[i])
            else:
                regex += re.escape("\\")
        elif ch == "[":
            # A character class; Go negates with `^` as regular expressions do.
            end = pattern.index("]", i + 1)
            regex += pattern[i : end + 1]
            i = end
        else:
            regex += re.escape(ch)
        i += 1
    return re.compile(regex + "$")


@dataclass
class DockerIgnore:
    patterns: list[str]
    _compiled: list[tuple[bool, re.Pattern]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._compiled = [(p.startswith("!"), _compile(p.removeprefix("!"))) for p in self.patterns]

    @classmethod
    def from_file(cls, path: Path) -> DockerIgnore:
        text = path.read_text() if path.exists() else ""
        return cls(read_dockerignore(text))

    def excludes(self, path: str) -> bool:
        """patternmatcher.MatchesOrParentMatches: a pattern that matches the path or one of
        its parent folders excludes it (or, with `!`, takes it back in)."""
        parents = path.split("/")[:-1]
        candidates = [path] + ["/".join(parents[: i + 1]) for i in range(len(parents))]
        excluded = False
        for exclusion, regex in self._compiled:
            if exclusion != excluded:
                continue  # only a rule that could change the outcome is evaluated
            if any(regex.match(candidate) for candidate in candidates):
                excluded = not exclusion
        return excluded


def context_files(context: Path, ignore: DockerIgnore) -> list[str]:
    """Every file of the build context that is sent to the builder, as relative posix paths."""
    files = []
    for path in sorted(context.rglob("*")):
        relative = path.relative_to(context).as_posix()
        if (path.is_file() or path.is_symlink()) and not ignore.excludes(relative):
            files.append(relative)
    return files


# --- Dockerfile ------------------------------------------------------------------------------


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)


def parse_dockerfile(text: str) -> list[Stage]:
    """The stages and their instructions, with continuation lines joined and comments
    dropped. Enough of the Dockerfile syntax for COPY, ADD, WORKDIR, ENV and USER."""
    stages: list[Stage] = []
    logical = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or (not stripped and not logical):
            continue
        if stripped.endswith("\\"):
            logical += stripped[:-1] + " "
            continue
        logical += stripped
        keyword, _, args = logical.strip().partition(" ")
        keyword, args = keyword.upper(), args.strip()
        logical = ""
        if keyword == "FROM":
            parts = args.split()
            parts = [p for p in parts if not p.startswith("--")]
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(base=parts[0], name=name))
        elif stages:
            stages[-1].instructions.append((keyword, args))
    return stages


def _copy_arguments(args: str) -> tuple[dict[str, str], list[str], str]:
    flags = {}
    words = shlex.split(args)
    while words and words[0].startswith("--"):
        name, _, value = words.pop(0)[2:].partition("=")
        flags[name] = value
    rest = " ".join(words)
    if rest.startswith("["):
        words = json.loads(rest)
    return flags, words[:-1], words[-1]


def env_of(stage: Stage) -> dict[str, str]:
    env = {}
    for keyword, args in stage.instructions:
        if keyword != "ENV":
            continue
        words = shlex.split(args)
        if "=" not in words[0]:  # the old form: ENV NAME value
            env[words[0]] = " ".join(words[1:])
            continue
        for word in words:
            name, _, value = word.partition("=")
            env[name] = value
    return env


def workdir_of(stage: Stage) -> str:
    workdir = "/"
    for keyword, args in stage.instructions:
        if keyword == "WORKDIR":
            workdir = posixpath.join(workdir, args)
    return workdir


def build_fileset(context: Path, target: Path) -> Path:
    """Lay out under `target` what the final stage copies from the build context, at the paths
    the image has them (target/app/... for WORKDIR /app). Returns the final WORKDIR there."""
    stage = parse_dockerfile((context / "Dockerfile").read_text())[-1]
    ignore = DockerIgnore.from_file(context / ".dockerignore")
    files = context_files(context, ignore)
    workdir = "/"
    for keyword, args in stage.instructions:
        if keyword == "WORKDIR":
            workdir = posixpath.join(workdir, args)
        if keyword not in {"COPY", "ADD"}:
            continue
        flags, sources, destination = _copy_arguments(args)
        if "from" in flags:
            continue  # from another stage or image, not from the context
        destination = posixpath.join(workdir, destination)
        for source in sources:
            if any(ch in source for ch in "*?["):
                raise NotImplementedError(f"wildcards in {keyword} sources: {source}")
            source = posixpath.normpath(source).lstrip("/")
            if source == ".":
                chosen = {f: f for f in files}
            elif source in files:
                into = destination.endswith("/") or len(sources) > 1
                chosen = {source: posixpath.basename(source) if into else ""}
            else:
                # A folder: its contents go into the destination, not the folder itself.
                chosen = {f: f[len(source) + 1 :] for f in files if f.startswith(source + "/")}
                if not chosen:
                    raise FileNotFoundError(f"{keyword} {source}: not in the build context")
            for relative, inside in chosen.items():
                out = target / posixpath.join(destination, inside).lstrip("/")
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(context / relative, out)
    return target / workdir.lstrip("/")
