#!/usr/bin/env python3
"""The phase cache's correctness oracle, long form (the test suite has the short one).

For every real schema in ../shared/corpus/real (and odoo), apply a seeded sequence of random
edits -- add, remove and rename a field, add and remove a model, change a relation's arity,
toggle standalone, skip and re-enable a phase, revert to an earlier state -- and after each one
run `phaserunner generate` with the cache into one folder and with `--no-cache` into a fresh
folder. The two trees must be byte-identical (after a failing run: the cached folder unchanged).

    scripts/cache_oracle.py [--binary .build/release/phaserunner] [--edits 60] [--seed 1] [schema ...]
"""
import argparse, hashlib, os, random, re, shutil, subprocess, sys, tempfile, time, json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def tree(path):
    out = {}
    for base, _, files in os.walk(path):
        for f in files:
            p = os.path.join(base, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, path)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def models(text):
    return re.findall(r"^model (\w+) \{", text, re.M)


def model_body(text, name):
    m = re.search(r"^model %s \{\n(.*?)^\}" % re.escape(name), text, re.M | re.S)
    return m


def scalar_fields(text, name):
    m = model_body(text, name)
    if not m:
        return []
    out = []
    for line in m.group(1).splitlines():
        f = re.match(r"^\s+(\w+)\s+(String|Int|Boolean|DateTime|Float|Json)(\?)?(\s|$)", line)
        if f and "@id" not in line and "@unique" not in line and "@relation" not in line and not line.strip().startswith("@@"):
            out.append(f.group(1))
    return out


def edit(text, state, rng, n):
    """One random edit: returns (label, text, standalone, skip)."""
    standalone, skip = state
    names = models(text)
    kind = rng.choice(["add", "add", "remove", "rename", "required", "model+", "model-", "standalone", "skip", "comment"])
    target = rng.choice(names) if names else None
    if kind == "add" and target:
        m = model_body(text, target)
        return f"add a field to {target}", text[:m.start(1)] + f"  oracleField{n} String?\n" + text[m.start(1):], standalone, skip
    if kind in ("remove", "rename", "required") and target:
        fields = scalar_fields(text, target)
        if fields:
            f = rng.choice(fields)
            m = model_body(text, target)
            body = m.group(1)
            if kind == "remove":
                body = re.sub(r"^\s+%s\s.*\n" % re.escape(f), "", body, count=1, flags=re.M)
                # Indexes naming the field would no longer validate: drop them too.
                body = "\n".join(l for l in body.split("\n") if not (l.strip().startswith("@@") and re.search(r"\b%s\b" % re.escape(f), l))) 
            elif kind == "rename":
                body = re.sub(r"^(\s+)%s(\s)" % re.escape(f), r"\g<1>%sRenamed%d\2" % (f, n), body, count=1, flags=re.M)
                body = "\n".join(re.sub(r"\b%s\b" % re.escape(f), "%sRenamed%d" % (f, n), l) if l.strip().startswith("@@") else l for l in body.split("\n"))
            else:
                body = re.sub(r"^(\s+%s\s+\w+)\?" % re.escape(f), r"\1", body, count=1, flags=re.M)
            return f"{kind} {target}.{f}", text[:m.start(1)] + body + text[m.end(1):], standalone, skip
    if kind == "model+":
        return "add a model", text + f"\nmodel OracleModel{n} {{\n  id    Int    @id @default(autoincrement())\n  label String\n}}\n", standalone, skip
    if kind == "model-":
        added = [m for m in names if m.startswith("OracleModel")]
        if added:
            name = rng.choice(added)
            m = model_body(text, name)
            return f"remove {name}", text[:m.start()] + text[m.end() + 2:], standalone, skip
    if kind == "standalone":
        return "toggle standalone", text, not standalone, skip
    if kind == "skip":
        phase = rng.choice(["writeTests", "generateOpenAPI", "generateBarrels"])
        return f"toggle --skip {phase}", text, standalone, skip ^ {phase}
    return "a comment", text + f"\n// oracle comment {n}\n", standalone, skip


def run(binary, schema, out, standalone, skip, cache):
    args = [binary, "generate", schema, "--out", out, "--name", "oracle", "--quiet", "--json"]
    args += [] if standalone else ["--no-standalone"]
    for s in sorted(skip):
        args += ["--skip", s]
    args += ["--cache-dir", cache] if cache else ["--no-cache"]
    p = subprocess.run(args, capture_output=True, text=True)
    report = json.loads(p.stdout) if p.stdout.strip().startswith("{") else {}
    return p.returncode, report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/phaserunner"))
    ap.add_argument("--edits", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("schemas", nargs="*")
    a = ap.parse_args()
    schemas = a.schemas or sorted(os.path.join(SHARED, "corpus/real", f) for f in os.listdir(os.path.join(SHARED, "corpus/real")) if f.endswith(".prisma"))
    if not a.schemas:
        schemas.append(os.path.join(SHARED, "corpus/psl/extra/query-engine/schema/test-schemas/odoo.prisma"))
    failures = 0
    total_runs = 0
    hits = misses = 0
    started = time.time()
    for path in schemas:
        rng = random.Random(f"{a.seed}-{os.path.basename(path)}")
        tmp = tempfile.mkdtemp(prefix="cache-oracle-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        try:
            schema = os.path.join(tmp, "schema.prisma")
            original = open(path).read()
            text, state = original, (True, frozenset())
            history = [(text, state)]
            last_good = None
            for n in range(a.edits + 1):
                if n == 0:
                    label = "as it is"
                elif rng.random() < 0.12:
                    label = "revert"
                    text, state = rng.choice(history)
                else:
                    label, text, standalone, skip = edit(text, state, rng, n)
                    state = (standalone, frozenset(skip))
                    history.append((text, state))
                with open(schema, "w") as fh:
                    fh.write(text)
                code, report = run(a.binary, schema, os.path.join(tmp, "cached"), state[0], state[1], os.path.join(tmp, "cache"))
                ref = os.path.join(tmp, "reference")
                rcode, _ = run(a.binary, schema, ref, state[0], state[1], None)
                total_runs += 2
                c = report.get("cache") or {}
                hits += c.get("hits", 0)
                misses += c.get("misses", 0)
                got = tree(os.path.join(tmp, "cached")) if os.path.isdir(os.path.join(tmp, "cached")) else {}
                if (code == 0) != (rcode == 0):
                    failures += 1
                    print(f"FAIL {os.path.basename(path)} #{n} {label}: cached exit {code}, --no-cache exit {rcode}")
                elif code == 0:
                    want = tree(ref)
                    if got != want:
                        failures += 1
                        diff = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
                        print(f"FAIL {os.path.basename(path)} #{n} {label}: {len(diff)} files differ: {diff[:5]}")
                    last_good = got
                elif last_good is not None and got != last_good:
                    failures += 1
                    print(f"FAIL {os.path.basename(path)} #{n} {label}: a failing run changed the output")
                shutil.rmtree(ref, ignore_errors=True)
            print(f"ok   {os.path.basename(path)}: {a.edits} edits", flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(schemas)} schemas, {total_runs} runs, {failures} differences; cached runs: {hits} phase hits, {misses} misses; {time.time() - started:.0f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
