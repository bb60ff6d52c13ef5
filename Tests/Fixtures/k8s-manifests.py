"""Reads anchor's Kubernetes manifests for the deploy tests: writes the ConfigMap's files into
a folder and prints, as JSON, what the tests check against the running binary (the container's
arguments, probe paths, port, scrape annotations, the Secret's keys)."""
import json
import os
import sys

import yaml

folder, out = sys.argv[1], sys.argv[2]
docs = {}
for name in sorted(os.listdir(folder)):
    if name.endswith(".yaml"):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if doc:
                    docs[doc["kind"]] = doc

os.makedirs(out, exist_ok=True)
for key, text in docs["ConfigMap"]["data"].items():
    with open(os.path.join(out, key), "w", encoding="utf-8") as f:
        f.write(text)

pod = docs["StatefulSet"]["spec"]["template"]
container = pod["spec"]["containers"][0]
mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
print(json.dumps({
    "args": container["args"],
    "port": container["ports"][0]["containerPort"],
    "probes": {k: container[k]["httpGet"]["path"] for k in ("livenessProbe", "readinessProbe", "startupProbe")},
    "annotations": pod["metadata"]["annotations"],
    "secretKeys": sorted(docs["Secret"]["stringData"].keys()),
    "showsMount": mounts["shows"],
    "stateMount": mounts["state"],
    "grace": pod["spec"]["terminationGracePeriodSeconds"],
}))
