#!/usr/bin/env python3
"""Runs the shell steps of condspec's CI templates the way their CI systems
would, on this machine, for scripts/ci-templates.sh: the composite GitHub
Action (action.yml) and the jobs of the GitLab template
(ci/condspec.gitlab-ci.yml). Nothing is mocked but the artifact upload, which
is recorded (and must find what it uploads).

  templates_test.py github ACTION_YML [NAME=VALUE ...]   inputs of the action
  templates_test.py gitlab TEMPLATE_YML JOB [NAME=VALUE ...]   job variables
  templates_test.py docs DOC_MD ACTION_YML TEMPLATE_YML   the page's examples

Prints one JSON object on the last line of stdout: {"status": job exit code,
"outputs": {...} (GitHub), "uploaded": [paths], "junit": path (GitLab)}, and
exits 0 (the job's status is data, not this program's).
Needs python3-yaml.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml


def run_bash(script, env):
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], env=env).returncode


def github(action_path, assignments):
    action = yaml.safe_load(open(action_path))
    assert action["runs"]["using"] == "composite", "the action is not composite"
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    for name in assignments:
        if name not in inputs:
            sys.exit(f"templates_test: the action has no input '{name}'")
    inputs.update(assignments)
    steps_outputs, uploaded, status = {}, [], 0

    def expand(text):
        def value(match):
            expr = match.group(1).strip()
            if expr.startswith("inputs."):
                return inputs[expr[len("inputs."):]]
            m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
            if m:
                return steps_outputs.get(m.group(1), {}).get(m.group(2), "")
            raise SystemExit(f"templates_test: unsupported expression ${{{{ {expr} }}}}")
        return re.sub(r"\$\{\{(.*?)\}\}", value, str(text))

    for step in action["runs"]["steps"]:
        condition = step.get("if", "success()")
        if condition == "always()":
            pass
        elif condition == "success()":
            if status != 0:
                continue
        else:
            raise SystemExit(f"templates_test: unsupported if: {condition}")
        if "uses" in step:
            assert step["uses"].startswith("actions/upload-artifact@"), step["uses"]
            path = expand(step["with"]["path"])
            if os.path.exists(path):
                uploaded.append(path)
            elif step["with"].get("if-no-files-found", "warn") == "error":
                status = status or 1
            continue
        assert step["shell"] == "bash", "every run step uses bash"
        env = dict(os.environ)
        env["GITHUB_ACTION_PATH"] = os.path.dirname(os.path.abspath(action_path))
        with tempfile.NamedTemporaryFile("r", suffix=".output") as output:
            env["GITHUB_OUTPUT"] = output.name
            for name, value in (step.get("env") or {}).items():
                env[name] = expand(value)
            code = run_bash(expand(step["run"]), env)
            if "id" in step:
                steps_outputs[step["id"]] = dict(
                    line.rstrip("\n").split("=", 1) for line in open(output.name) if "=" in line)
        if code != 0 and status == 0:
            status = code
    outputs = {name: expand(spec["value"]) for name, spec in action.get("outputs", {}).items()}
    return {"status": status, "outputs": outputs, "uploaded": uploaded}


def merged(base, extra):
    """GitLab's `extends`: hashes merge deeply, everything else is replaced."""
    result = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def gitlab(template_path, job_name, assignments):
    template = yaml.safe_load(open(template_path))

    def resolve(name):
        job = template[name]
        parents = job.get("extends", [])
        parents = [parents] if isinstance(parents, str) else parents
        result = {}
        for parent in parents:
            result = merged(result, resolve(parent))
        return merged(result, {k: v for k, v in job.items() if k != "extends"})

    job = resolve(job_name)
    env = dict(os.environ)
    variables = {k: str(v) for k, v in (job.get("variables") or {}).items()}
    variables.update(assignments)

    def expand(text):
        return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), str(text))

    for name, value in variables.items():
        env[name] = value
    for name, value in variables.items():  # values may name other variables
        env[name] = expand(value)
    status = 0
    for line in (job.get("before_script") or []) + job["script"]:
        status = run_bash(line, env)
        if status != 0:
            break
    artifacts = job.get("artifacts") or {}
    uploaded = [expand(p) for p in artifacts.get("paths", []) if os.path.exists(expand(p))]
    junit = (artifacts.get("reports") or {}).get("junit")
    return {"status": status, "uploaded": uploaded, "junit": expand(junit) if junit else None,
            "parallel": job.get("parallel")}


def docs(doc_path, action_path, template_path):
    """Every ```yaml block of the page parses; what it passes to the action is
    an input of action.yml, what it extends is a job of the GitLab template,
    and the variables it sets are ones the template or run-in-ci.sh reads."""
    action = yaml.safe_load(open(action_path))
    template = yaml.safe_load(open(template_path))
    known_variables = set()
    for job in template.values():
        known_variables.update((job.get("variables") or {}).keys())
    known_variables.update({"CONDSPEC", "CONDSPEC_SHARD", "CONDSPEC_MERGE"})
    problems = []
    blocks = re.findall(r"```yaml\n(.*?)```", open(doc_path).read(), re.S)
    for number, block in enumerate(blocks, 1):
        try:
            data = yaml.safe_load(block)
        except yaml.YAMLError as error:
            problems.append(f"yaml block {number}: {error}")
            continue

        def walk(node):
            if isinstance(node, dict):
                if str(node.get("uses", "")).startswith("OWNER/condspec@"):
                    for name in node.get("with") or {}:
                        if name not in action["inputs"]:
                            problems.append(f"yaml block {number}: the action has no input '{name}'")
                if "extends" in node and str(node["extends"]).startswith(".condspec"):
                    if node["extends"] not in template:
                        problems.append(f"yaml block {number}: the template has no job {node['extends']}")
                    for name in node.get("variables") or {}:
                        if name not in known_variables:
                            problems.append(f"yaml block {number}: unknown variable {name}")
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)
        walk(data)
    return {"status": 1 if problems else 0, "blocks": len(blocks), "problems": problems}


def main():
    kind = sys.argv[1]
    if kind == "docs":
        result = docs(sys.argv[2], sys.argv[3], sys.argv[4])
    elif kind == "github":
        path, rest = sys.argv[2], sys.argv[3:]
        result = github(path, dict(a.split("=", 1) for a in rest))
    elif kind == "gitlab":
        path, job, rest = sys.argv[2], sys.argv[3], sys.argv[4:]
        result = gitlab(path, job, dict(a.split("=", 1) for a in rest))
    else:
        sys.exit("usage: templates_test.py github ACTION_YML [NAME=VALUE...] | "
                 "gitlab TEMPLATE_YML JOB [NAME=VALUE...]")
    sys.stdout.flush()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
