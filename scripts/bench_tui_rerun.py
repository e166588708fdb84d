#!/usr/bin/env python3
"""The TUI's re-run after a schema save: time from the file change to the finished run.

Starts `phaserunner tui` in a detached tmux session on a copy of the schema (output and cache on
/dev/shm), waits for the first run to finish, then N times adds a field to one model (the file
is renamed into place, as editors save) and measures, from outside, until the screen shows the
next run finished. Prints each time and the median; the cold first run is shown for scale.

    scripts/bench_tui_rerun.py [--binary .build/release/phaserunner] [--runs 9] [schema]
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO = os.path.join(os.path.dirname(ROOT), "shared/corpus/psl/extra/query-engine/schema/test-schemas/odoo.prisma")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/phaserunner"))
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--no-cache", action="store_true", help="measure without the phase cache (for comparison)")
    ap.add_argument("schema", nargs="?", default=ODOO)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="tui-rerun-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    sock = os.path.join(tmp, "tmux.sock")
    schema = os.path.join(tmp, "schema.prisma")
    original = open(a.schema).read()
    with open(schema, "w") as fh:
        fh.write(original)
    def tmux(*args):
        return subprocess.run(["tmux", "-S", sock] + list(args), capture_output=True, text=True).stdout
    def screen():
        return tmux("capture-pane", "-p", "-t", "bench")
    def finished(n):
        s = screen()
        head = s.splitlines()[0] if s else ""
        # The tab line names the run from the second one on ("run #2").
        return (n == 1 or f"run #{n}" in s) and " in " in head and "running" not in head
    try:
        cmd = f"{a.binary} tui {schema} --out {tmp}/out" + (" --no-cache" if a.no_cache else "")
        tmux("new-session", "-d", "-s", "bench", "-x", "120", "-y", "40", cmd)
        start = time.monotonic()
        while not finished(1):
            if time.monotonic() - start > 300:
                sys.exit("the first run did not finish:\n" + screen())
            time.sleep(0.01)
        first = time.monotonic() - start
        models = [m.end() for m in re.finditer(r"^model \w+ \{\n", original, re.M)]
        at = models[len(models) // 2]
        times = []
        text = original
        for i in range(a.runs):
            time.sleep(0.3)  # let the previous run's files settle (not measured)
            text = text[:at] + f"  benchSaved{i} String?\n" + text[at:]
            with open(schema + ".tmp", "w") as fh:
                fh.write(text)
            t0 = time.monotonic()
            os.rename(schema + ".tmp", schema)
            while not finished(i + 2):
                if time.monotonic() - t0 > 120:
                    sys.exit(f"run {i + 2} did not finish:\n" + screen())
                time.sleep(0.005)
            times.append((time.monotonic() - t0) * 1000)
        label = "without the cache" if a.no_cache else "with the cache"
        print(f"TUI re-run after a save ({os.path.basename(a.schema)}, {label}): first run (cold, UI start included) {first * 1000:.0f} ms")
        print("  save → finished run, ms: " + " ".join(f"{t:.0f}" for t in times))
        print(f"  median {statistics.median(times):.0f} ms (the UI checks the schema every 100 ms)")
    finally:
        tmux("kill-server")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
