#!/usr/bin/env python3
"""Every preset, build target, script and path that the workflows (and the deployment recipe's
Dockerfile) name must exist in the repository, so that a renamed preset or a moved script fails
here instead of on GitHub after the merge.

Usage: workflow_references.py REPOSITORY_ROOT [--selftest]
Prints one line per dangling reference (file: what is named: why it is wrong); exit 0 when there
is none, 1 when there are, 2 on misuse. --selftest breaks a workflow in memory in each way the
check knows and exits 0 only if every break is caught.
"""
import glob
import json
import os
import re
import sys

import yaml

# Folders at the top of the repository whose paths a workflow may name (DESIGN.md's layout).
SOURCE_ROOTS = (".ci/", ".github/", "baselines/", "cmake/", "fixtures/", "perf/", "tests/")
# Under build/<preset>/: what the build makes. Anything else under a preset's folder must mirror a
# source folder (CMake builds perf/cli/loadgate from perf/cli/).
BUILD_OUTPUTS = ("loadgate/", "Testing/")


def presets(root):
    with open(os.path.join(root, "CMakePresets.json")) as f:
        p = json.load(f)
    kinds = {}
    for kind in ("configurePresets", "buildPresets", "testPresets", "workflowPresets"):
        kinds[kind] = {x["name"] for x in p.get(kind, []) if not x.get("hidden")}
    return kinds


def cmake_targets(root):
    targets = set()
    pattern = re.compile(r"\b(?:add_executable|add_library|add_custom_target)\(\s*([A-Za-z0-9_.+-]+)")
    for path in glob.glob(os.path.join(root, "**", "CMakeLists.txt"), recursive=True) + glob.glob(
        os.path.join(root, "**", "*.cmake"), recursive=True
    ):
        if os.sep + "build" + os.sep in path[len(root):]:
            continue
        with open(path, errors="replace") as f:
            targets.update(pattern.findall(f.read()))
    return targets


def strings_of(node):
    """Every string in a parsed YAML document: run scripts, with: values, input defaults."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from strings_of(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings_of(v)


CHECKED = []  # every reference looked at, so that the summary shows the check is not vacuous


def check_text(text, where, root, known_presets, targets):
    problems = []
    preset_kinds = {
        "configure": known_presets["configurePresets"],
        "build": known_presets["buildPresets"],
        "test": known_presets["testPresets"],
        "workflow": known_presets["workflowPresets"],
    }
    for line in text.splitlines():
        for m in re.finditer(r"(cmake --workflow|cmake --build|ctest|cmake)\s+(?:[^|;&\n]*?\s)?--preset[= ]+([A-Za-z0-9_-]+)", line):
            tool, name = m.group(1), m.group(2)
            CHECKED.append(name)
            kind = {"cmake --workflow": "workflow", "cmake --build": "build", "ctest": "test"}.get(tool, "configure")
            if name not in preset_kinds[kind]:
                problems.append(f"{where}: --preset {name}: no {kind} preset of that name in CMakePresets.json")
        for m in re.finditer(r"--target[= ]+([A-Za-z0-9_.+-]+)", line):
            CHECKED.append(m.group(1))
            if m.group(1) not in targets:
                problems.append(f"{where}: --target {m.group(1)}: no CMake target of that name")
        for m in re.finditer(r"(?<![\w./$-])((?:\./)?(?:build/[A-Za-z0-9_-]+/|" + "|".join(re.escape(r) for r in SOURCE_ROOTS) + r")[^\s\"'|;&)]*)", line):
            CHECKED.append(m.group(1))
            problems += check_path(m.group(1), where, root, preset_kinds["configure"])
    return problems


def check_path(path, where, root, configure_presets):
    path = path[2:] if path.startswith("./") else path
    if path.startswith("build/"):
        parts = path.split("/", 2)
        if parts[1] not in configure_presets:
            return [f"{where}: {path}: build/{parts[1]} is no preset's build folder (CMakePresets.json)"]
        rest = parts[2] if len(parts) > 2 else ""
        if rest == "" or rest.startswith(BUILD_OUTPUTS):
            return []
        source_folder = os.path.dirname(rest.rstrip("/")) or rest
        if not os.path.isdir(os.path.join(root, source_folder)):
            return [f"{where}: {path}: nothing in the repository builds into {parts[0]}/{parts[1]}/{source_folder}"]
        return []
    if "*" in path or "$" in path or "{" in path:
        fixed = re.split(r"[*${]", path, 1)[0]
        path = os.path.dirname(fixed) if not fixed.endswith("/") else fixed
    if not os.path.exists(os.path.join(root, path)):
        return [f"{where}: {path}: no such file or folder in the repository"]
    return []


def check_repository(root, documents):
    known = presets(root)
    targets = cmake_targets(root)
    problems = []
    for where, text in documents:
        if where.endswith((".yml", ".yaml")):
            parsed = yaml.safe_load(text)
            for s in strings_of(parsed):
                problems += check_text(s, where, root, known, targets)
        else:
            problems += check_text(text, where, root, known, targets)
    return problems


def documents_of(root):
    files = sorted(glob.glob(os.path.join(root, ".github", "workflows", "*.yml")))
    files += [os.path.join(root, "perf", "deploy", "Dockerfile")]
    docs = []
    for f in files:
        with open(f) as fh:
            docs.append((os.path.relpath(f, root), fh.read()))
    return docs


def selftest(root):
    docs = documents_of(root)
    clean = check_repository(root, docs)
    if clean:
        print("selftest needs clean workflows first:\n" + "\n".join(clean))
        return 1
    workflow = next(d for d in docs if d[0].endswith("perf-distributed.yml"))
    breaks = {
        "--preset no-such-preset": workflow[1].replace("cmake --preset perf", "cmake --preset no-such-preset"),
        "--target no_such_target": workflow[1].replace("--target loadgate_command", "--target no_such_target"),
        "cmake/no-such-setup.sh": workflow[1].replace("cmake/setup.sh", "cmake/no-such-setup.sh"),
        "build/no-such-preset": workflow[1].replace("build/perf/perf/cli/loadgate", "build/no-such-preset/perf/cli/loadgate"),
        "perf/deploy/k8s/missing.json": workflow[1].replace("perf/deploy/k8s/scenario.json", "perf/deploy/k8s/missing.json"),
    }
    failed = 0
    for expected, text in breaks.items():
        if text == workflow[1]:
            print(f"selftest: the workflow no longer holds the text that '{expected}' replaces")
            failed += 1
            continue
        found = check_repository(root, [(workflow[0], text)])
        if not any(expected in p for p in found):
            print(f"selftest: a workflow naming {expected} was not caught (found: {found})")
            failed += 1
    print(f"selftest: {len(breaks) - failed} of {len(breaks)} broken references caught")
    return 1 if failed else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    if "--selftest" in argv[2:]:
        return selftest(root)
    docs = documents_of(root)
    problems = check_repository(root, docs)
    for p in problems:
        print(p)
    print(f"workflow references: {len(docs)} files, {len(CHECKED)} references ({len(set(CHECKED))} distinct), "
          f"{len(problems)} dangling")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
