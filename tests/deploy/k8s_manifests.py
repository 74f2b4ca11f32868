#!/usr/bin/env python3
"""Offline check of perf/deploy/k8s: the objects against the fields of the Kubernetes API types
they use, and the sharded run's own rules.

Usage: k8s_manifests.py DEPLOY_K8S_FOLDER [--rendered FILE] [--selftest]
  --rendered FILE  the output of `kubectl kustomize DEPLOY_K8S_FOLDER` (when kubectl is at hand);
                   without it the kustomization is read here (resources, configMapGenerator).
  --selftest       breaks the manifests in memory in each way the check knows; exit 0 only if
                   every break is caught.
Exit 0 clean, 1 problems (one line each), 2 misuse.

Why not kubectl: `kubectl apply --dry-run=client` asks an API server for discovery and the
OpenAPI schema even on the client side, and there is no cluster here. The schema below is the
subset of batch/v1 Job, core/v1 PodSpec, ConfigMap and PersistentVolumeClaim that this recipe
uses, written from the Kubernetes API reference; a field outside it is reported, so a typo
(`completionMod`) fails, and a real field added to the manifests must be added here too.
"""
import copy
import os
import re
import sys

import yaml

# A spec is a type name ("str", "int", "bool", "map": str -> str, "quantity"), a dict of fields
# (a trailing "!" on a key marks it required), a one-element list (a list of that spec), or a
# tuple ("enum", values...).
META = {"name!": "str", "namespace": "str", "labels": "map", "annotations": "map"}
KEY_REF = {"name!": "str", "key!": "str", "optional": "bool"}
ENV = {"name!": "str", "value": "str",
       "valueFrom": {"configMapKeyRef": KEY_REF, "secretKeyRef": KEY_REF,
                     "fieldRef": {"fieldPath!": "str", "apiVersion": "str"}}}
CONTAINER = {
    "name!": "str", "image!": "str", "command": ["str"], "args": ["str"], "workingDir": "str",
    "imagePullPolicy": ("enum", "Always", "IfNotPresent", "Never"),
    "env": [ENV], "resources": {"requests": "map", "limits": "map"},
    "volumeMounts": [{"name!": "str", "mountPath!": "str", "readOnly": "bool", "subPath": "str"}],
}
VOLUME = {
    "name!": "str",
    "configMap": {"name!": "str", "optional": "bool", "defaultMode": "int", "items": [{"key!": "str", "path!": "str"}]},
    "persistentVolumeClaim": {"claimName!": "str", "readOnly": "bool"},
    "emptyDir": {"medium": "str", "sizeLimit": "quantity"},
}
POD_SPEC = {
    "restartPolicy": ("enum", "Always", "OnFailure", "Never"), "containers!": [CONTAINER], "volumes": [VOLUME],
    "serviceAccountName": "str", "nodeSelector": "map", "imagePullSecrets": [{"name!": "str"}],
}
JOB = {
    "apiVersion!": "str", "kind!": "str", "metadata!": META,
    "spec!": {
        "completionMode": ("enum", "NonIndexed", "Indexed"), "completions": "int", "parallelism": "int",
        "backoffLimit": "int", "backoffLimitPerIndex": "int", "activeDeadlineSeconds": "int",
        "ttlSecondsAfterFinished": "int", "template!": {"metadata": META, "spec!": POD_SPEC},
    },
}
CONFIG_MAP = {"apiVersion!": "str", "kind!": "str", "metadata!": META, "data": "map", "immutable": "bool"}
PVC = {
    "apiVersion!": "str", "kind!": "str", "metadata!": META,
    "spec!": {"accessModes!": [("enum", "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")],
              "resources!": {"requests!": "map"}, "storageClassName": "str", "volumeMode": "str"},
}
KINDS = {("batch/v1", "Job"): JOB, ("v1", "ConfigMap"): CONFIG_MAP, ("v1", "PersistentVolumeClaim"): PVC}
QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$")


def check(value, spec, where, problems):
    if isinstance(spec, tuple):
        if value not in spec[1:]:
            problems.append(f"{where}: {value!r} is not one of {', '.join(spec[1:])}")
    elif isinstance(spec, list):
        if not isinstance(value, list):
            problems.append(f"{where}: expected a list")
            return
        for i, item in enumerate(value):
            check(item, spec[0], f"{where}[{i}]", problems)
    elif isinstance(spec, dict):
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object")
            return
        fields = {k.rstrip("!"): s for k, s in spec.items()}
        for k in spec:
            if k.endswith("!") and k[:-1] not in value:
                problems.append(f"{where}: required field '{k[:-1]}' is missing")
        for k, v in value.items():
            if k not in fields:
                problems.append(f"{where}: unknown field '{k}' (known here: {', '.join(sorted(fields))})")
            else:
                check(v, fields[k], f"{where}.{k}", problems)
    elif spec == "str":
        if not isinstance(value, str):
            problems.append(f"{where}: expected a string, got {value!r} (quote numbers in args and labels)")
    elif spec == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{where}: expected an integer, got {value!r}")
    elif spec == "bool":
        if not isinstance(value, bool):
            problems.append(f"{where}: expected true or false, got {value!r}")
    elif spec == "map":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            problems.append(f"{where}: expected a map of strings")
        else:
            for k, v in value.items():
                if k in ("cpu", "memory", "storage") and not QUANTITY.match(v):
                    problems.append(f"{where}.{k}: {v!r} is not a quantity (e.g. 500m, 2, 512Mi)")
    elif spec == "quantity":
        if not isinstance(value, str) or not QUANTITY.match(value):
            problems.append(f"{where}: {value!r} is not a quantity")


def load_kustomization(folder):
    """What `kubectl kustomize` renders, without the generated names' hash suffixes."""
    with open(os.path.join(folder, "kustomization.yaml")) as f:
        k = yaml.safe_load(f)
    objects = []
    for resource in k.get("resources", []):
        with open(os.path.join(folder, resource)) as f:
            objects += [o for o in yaml.safe_load_all(f) if o]
    for generator in k.get("configMapGenerator", []):
        data = {}
        for entry in generator.get("files", []):
            key, _, path = entry.partition("=") if "=" in entry else (os.path.basename(entry), "", entry)
            with open(os.path.join(folder, path)) as f:
                data[key] = f.read()
        objects.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]}, "data": data})
    return objects


def name_matches(reference, name):
    # A generated ConfigMap is named <name>-<hash> by kustomize; references to it are rewritten.
    return reference == name or re.fullmatch(re.escape(reference) + r"-[a-z0-9]{10}", name) is not None


def check_recipe(objects, later, readme):
    """objects: what `kubectl apply -k` creates; later: merge-job.yaml; readme: the commands' text."""
    problems = []
    everything = objects + later
    for o in everything:
        where = f"{o.get('kind', '?')}/{o.get('metadata', {}).get('name', '?')}"
        spec = KINDS.get((o.get("apiVersion"), o.get("kind")))
        if spec is None:
            problems.append(f"{where}: {o.get('apiVersion')} {o.get('kind')} is not a kind this recipe uses")
            continue
        check(o, spec, where, problems)
    config_maps = [o["metadata"]["name"] for o in objects if o.get("kind") == "ConfigMap"]
    # ConfigMaps made per run by the README's `kubectl create configmap NAME` lines.
    config_maps += re.findall(r"kubectl create configmap ([a-z0-9-]+)", readme)
    claims = [o["metadata"]["name"] for o in objects if o.get("kind") == "PersistentVolumeClaim"]
    jobs = [o for o in everything if o.get("kind") == "Job"]
    images = set()
    for job in jobs:
        name = job["metadata"].get("name", "?")
        spec = job.get("spec", {})
        pod = spec.get("template", {}).get("spec", {})
        if pod.get("restartPolicy") != "Never":
            problems.append(f"Job/{name}: restartPolicy must be Never: a restarted shard misses the shared start")
        if spec.get("completionMode") == "Indexed":
            if spec.get("backoffLimitPerIndex") != 0:
                problems.append(f"Job/{name}: backoffLimitPerIndex must be 0: a retried shard would send its part twice, "
                                "and a per-index limit lets the other shards finish")
        elif spec.get("backoffLimit") != 0:
            problems.append(f"Job/{name}: backoffLimit must be 0: a retried merge would gate twice")
        volumes = {v.get("name"): v for v in pod.get("volumes", [])}
        for v in volumes.values():
            ref = v.get("configMap", {}).get("name")
            if ref and not any(name_matches(ref, c) for c in config_maps):
                problems.append(f"Job/{name}: volume {v['name']}: ConfigMap {ref} is defined nowhere in the recipe")
            claim = v.get("persistentVolumeClaim", {}).get("claimName")
            if claim and claim not in claims:
                problems.append(f"Job/{name}: volume {v['name']}: claim {claim} is defined nowhere in the recipe")
        for c in pod.get("containers", []):
            images.add(c.get("image"))
            for m in c.get("volumeMounts", []):
                if m.get("name") not in volumes:
                    problems.append(f"Job/{name}: container {c.get('name')} mounts '{m.get('name')}', which is no volume of the pod")
            env = {e.get("name") for e in c.get("env", [])}
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("configMapKeyRef", {}).get("name")
                if ref and not any(name_matches(ref, cm) for cm in config_maps):
                    problems.append(f"Job/{name}: env {e['name']}: ConfigMap {ref} is defined nowhere in the recipe")
            indexed = spec.get("completionMode") == "Indexed"
            for arg in c.get("args", []) + c.get("command", []):
                for var in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", str(arg)):
                    if var not in env and not (indexed and var == "JOB_COMPLETION_INDEX"):
                        problems.append(f"Job/{name}: $({var}) in the arguments is not in the container's env")
            args = [str(a) for a in c.get("args", [])]
            if indexed:
                shards = args[args.index("--shards") + 1] if "--shards" in args[:-1] else None
                n = (spec.get("completions"), spec.get("parallelism"))
                if shards is None:
                    problems.append(f"Job/{name}: an Indexed Job of shards needs --shards N in its arguments")
                elif not (str(n[0]) == str(n[1]) == shards):
                    problems.append(f"Job/{name}: completions ({n[0]}), parallelism ({n[1]}) and --shards ({shards}) "
                                    "must be the same N: every shard runs at once, each exactly once")
    if not any(j.get("spec", {}).get("completionMode") == "Indexed" for j in jobs):
        problems.append("no Indexed Job: the shards must be the pods of one (completionMode: Indexed)")
    if len(images) > 1:
        problems.append(f"the Jobs run different images {sorted(images)}: the shards and the merge must be one loadgate")
    return problems


def read_recipe(folder, rendered):
    if rendered:
        with open(rendered) as f:
            objects = [o for o in yaml.safe_load_all(f) if o]
    else:
        objects = load_kustomization(folder)
    with open(os.path.join(folder, "merge-job.yaml")) as f:
        later = [o for o in yaml.safe_load_all(f) if o]
    with open(os.path.join(folder, "README.md")) as f:
        readme = f.read()
    return objects, later, readme


def selftest(objects, later, readme):
    if check_recipe(objects, later, readme):
        print("selftest needs a clean recipe first")
        return 1

    def shard_job(objs):
        return next(o for o in objs if o.get("spec", {}).get("completionMode") == "Indexed")

    def container(objs):
        return shard_job(objs)["spec"]["template"]["spec"]["containers"][0]

    breaks = {
        "must be the same N": lambda o: shard_job(o)["spec"].update(parallelism=3),
        "unknown field 'completionMod'": lambda o: shard_job(o)["spec"].update(completionMod="Indexed"),
        "which is no volume of the pod": lambda o: container(o)["volumeMounts"].append({"name": "nowhere", "mountPath": "/x"}),
        "is not in the container's env": lambda o: container(o)["args"].append("$(UNDEFINED)"),
        "restartPolicy must be Never": lambda o: shard_job(o)["spec"]["template"]["spec"].update(restartPolicy="OnFailure"),
        "backoffLimitPerIndex must be 0": lambda o: shard_job(o)["spec"].update(backoffLimitPerIndex=2),
        "expected a string": lambda o: container(o)["args"].append(4),
        "is defined nowhere in the recipe": lambda o: shard_job(o)["spec"]["template"]["spec"]["volumes"][0]["configMap"].update(name="elsewhere"),
        "is not a quantity": lambda o: container(o)["resources"]["requests"].update(memory="lots"),
    }
    failed = 0
    for expected, brk in breaks.items():
        broken = copy.deepcopy(objects)
        brk(broken)
        found = check_recipe(broken, later, readme)
        if not any(expected in p for p in found):
            print(f"selftest: a break expecting '{expected}' was not caught (found: {found})")
            failed += 1
    print(f"selftest: {len(breaks) - failed} of {len(breaks)} broken manifests caught")
    return 1 if failed else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder = argv[1]
    rendered = argv[argv.index("--rendered") + 1] if "--rendered" in argv else None
    objects, later, readme = read_recipe(folder, rendered)
    if "--selftest" in argv:
        return selftest(objects, later, readme)
    problems = check_recipe(objects, later, readme)
    for p in problems:
        print(p)
    kinds = ", ".join(sorted(f"{o['kind']}/{o['metadata']['name']}" for o in objects + later))
    print(f"k8s manifests ({'kubectl kustomize' if rendered else 'kustomization read here'}): {kinds}; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
