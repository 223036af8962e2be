#!/usr/bin/env python3
"""Runs GradBench protocol sessions against GradBench's hand-written C++ tool (`manual`, through GradBench's
own `cpp.py` wrapper) and against autograd-gradbench (generated Backward, and `--hand-written`), on the
same input files, and prints a markdown table of median `evaluate` times, peak memory and agreement.

Python standard library only. Called by run.sh, which builds both tools and writes the inputs first.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

FUNCTIONS = {  # module -> (primal function, gradient function)
    "lse": ("primal", "gradient"),
    "llsq": ("primal", "gradient"),
    "det": ("primal", "gradient"),
    "ode": ("primal", "gradient"),
    "gmm": ("objective", "jacobian"),
    "lstm": ("objective", "jacobian"),
    "ba": ("objective", "jacobian"),
}

TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def session(command, messages, cwd=None):
    """Runs one protocol session (all messages on stdin); returns (responses by id, peak RSS in KiB or None)."""
    with tempfile.TemporaryDirectory() as tmp:
        stdin_path = os.path.join(tmp, "session.jsonl")
        with open(stdin_path, "w") as f:
            for m in messages:
                f.write(json.dumps(m) + "\n")
        mem_path = os.path.join(tmp, "rss")
        full = ([TIME, "-f", "%M", "-o", mem_path] if TIME else []) + command
        with open(stdin_path) as stdin:
            proc = subprocess.run(full, stdin=stdin, capture_output=True, text=True, cwd=cwd)
        if proc.returncode != 0:
            log(f"  {' '.join(command)} exited with {proc.returncode}: {proc.stderr[-2000:]}")
        responses = {}
        for line in proc.stdout.splitlines():
            if line.strip():
                r = json.loads(line)
                responses[r["id"]] = r
        rss = None
        if TIME and os.path.exists(mem_path):
            try:
                rss = int(open(mem_path).read().strip().splitlines()[-1])
            except (ValueError, IndexError):
                pass
        return responses, rss


def median_evaluate(response):
    if not response or not response.get("success"):
        return None, 0
    ns = [t["nanoseconds"] for t in response.get("timings", []) if t["name"] == "evaluate"]
    return (statistics.median(ns) if ns else None), len(ns)


def max_mismatch(a, b, path="output"):
    """GradBench's rule: same structure, numbers within |a-b|/max(1,|a|+|b|) <= 1e-4. Returns (worst error, structural problem or None)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return 0.0, None if a == b else f"{path}: {a} vs {b}"
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) / max(1.0, abs(a) + abs(b)), None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return float("inf"), f"{path}: length {len(a)} vs {len(b)}"
        worst = 0.0
        for i, (x, y) in enumerate(zip(a, b)):
            e, problem = max_mismatch(x, y, f"{path}[{i}]")
            if problem:
                return e, problem
            worst = max(worst, e)
        return worst, None
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return float("inf"), f"{path}: keys {sorted(a)} vs {sorted(b)}"
        worst = 0.0
        for k in a:
            e, problem = max_mismatch(a[k], b[k], f"{path}.{k}")
            if problem:
                return e, problem
            worst = max(worst, e)
        return worst, None
    return float("inf"), f"{path}: {type(a).__name__} vs {type(b).__name__}"


def record(results, key, response, rss=None):
    """Keeps a cell's medians over the repeats, its last successful answer, and its largest peak RSS."""
    r = results.setdefault(key, {"response": None, "medians": []})
    r["medians"].append(median_evaluate(response))
    if response and (response.get("success") or not r["response"]):
        r["response"] = response
    if rss is not None:
        r["rss"] = max(rss, r.get("rss", 0))


def fmt_time(ns):
    if ns is None:
        return "—"
    if ns < 1e6:
        return f"{ns / 1e3:.3g} µs"
    if ns < 1e9:
        return f"{ns / 1e6:.3g} ms"
    return f"{ns / 1e9:.3g} s"


def fmt_ratio(a, b):
    return "—" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def fmt_mem(kib):
    return "—" if kib is None else f"{kib / 1024:.0f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gradbench", required=True, help="GradBench tree with tools/manual built")
    ap.add_argument("--dll", required=True, help="autograd-gradbench.dll")
    ap.add_argument("--cases", required=True, help="file of lines: input path, module, description (gen_inputs.py's output)")
    ap.add_argument("--min-runs", type=int, default=10)
    ap.add_argument("--min-seconds", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=1,
                    help="run every session this many times (all tools in turn) and keep each cell's fastest median")
    ap.add_argument("--results", help="write the raw results here as JSON")
    args = ap.parse_args()

    cases = []
    for line in open(args.cases):
        if line.strip():
            path, module, description = line.rstrip("\n").split("\t")
            cases.append({"path": path, "module": module, "size": description,
                          "input": json.load(open(path))})
    runs = {"min_runs": args.min_runs, "min_seconds": args.min_seconds}

    results = {}  # (case index, tool, function) -> dict
    for rep in range(args.repeat):
        # (a) C++ manual: one session per module (GradBench's cpp.py rebuilds the module's binary on `define`).
        cpp_command = [sys.executable, "python/gradbench/gradbench/cpp.py", "manual"]
        for module in dict.fromkeys(c["module"] for c in cases):
            mine = [(i, c) for i, c in enumerate(cases) if c["module"] == module]
            messages = [{"id": 0, "kind": "start", "eval": module}, {"id": 1, "kind": "define", "module": module}]
            ids = {}
            for i, c in mine:
                for function in FUNCTIONS[module]:
                    ids[len(messages)] = (i, function)
                    messages.append({"id": len(messages), "kind": "evaluate", "module": module, "function": function,
                                     "input": c["input"] | runs, "description": c["size"]})
            log(f"[{rep + 1}/{args.repeat}] C++ manual: {module} ({len(ids)} evaluations)")
            responses, _ = session(cpp_command, messages, cwd=args.gradbench)
            if not responses.get(1, {}).get("success"):
                log(f"  define {module} failed: {responses.get(1)}")
            for id, (i, function) in ids.items():
                record(results, (i, "cpp", function), responses.get(id))
            # Peak memory: the same binary cpp.py runs, once per input and function, outside the session
            # (the session's own peak would include the compiler that `define` runs).
            for i, c in mine if rep == 0 else []:
                for function in FUNCTIONS[module]:
                    with tempfile.TemporaryDirectory() as tmp:
                        input_path = os.path.join(tmp, "input.json")
                        with open(input_path, "w") as f:
                            json.dump(c["input"] | {"min_runs": 1, "min_seconds": 0}, f)
                        if TIME:
                            subprocess.run([TIME, "-f", "%M", "-o", os.path.join(tmp, "rss"),
                                            os.path.join(args.gradbench, "tools/manual/bin", module), input_path, function],
                                           capture_output=True, text=True)
                            try:
                                results[(i, "cpp", function)]["rss"] = int(open(os.path.join(tmp, "rss")).read().split()[-1])
                            except (OSError, ValueError, IndexError):
                                pass

        # (b), (c) ours: one session per input and function, so each process's peak RSS is that function's.
        for tool, extra in (("gen", []), ("hw", ["--hand-written"])):
            for i, c in enumerate(cases):
                functions = FUNCTIONS[c["module"]] if tool == "gen" else FUNCTIONS[c["module"]][1:]
                for function in functions:
                    log(f"[{rep + 1}/{args.repeat}] ours ({tool}): {c['module']} {c['size']} {function}")
                    messages = [{"id": 0, "kind": "start", "eval": c["module"]},
                                {"id": 1, "kind": "define", "module": c["module"]},
                                {"id": 2, "kind": "evaluate", "module": c["module"], "function": function,
                                 "input": c["input"] | runs, "description": c["size"]}]
                    responses, rss = session(["dotnet", args.dll] + extra, messages)
                    record(results, (i, tool, function), responses.get(2), rss)

    # Summaries: each cell's fastest median over the repeats.
    for r in results.values():
        timed = [(m, n) for m, n in r["medians"] if m is not None]
        r["median_ns"], r["runs"] = min(timed) if timed else (None, 0)
        if r["response"] and not r["response"].get("success"):
            r["error"] = r["response"].get("error")
    rows, mem_rows, notes = [], [], []
    for i, c in enumerate(cases):
        p, g = FUNCTIONS[c["module"]]
        get = lambda tool, fn: results.get((i, tool, fn), {})
        agree = []
        for tool, fn in (("gen", p), ("gen", g), ("hw", g)):
            ref, mine = get("cpp", fn).get("response"), get(tool, fn).get("response")
            if not (ref and ref.get("success") and mine and mine.get("success")):
                agree.append(f"{tool} {fn}: no answer")
                notes.append(f"{c['module']} {c['size']} {tool} {fn}: C++ {str((ref or {}).get('error'))[:300]} / "
                             f"ours {str((mine or {}).get('error'))[:300]}")
                continue
            err, problem = max_mismatch(ref["output"], mine["output"])
            get(tool, fn)["max_error"] = err
            if problem or err > 1e-4:
                agree.append(f"{tool} {fn}: {problem or f'max err {err:.1e}'}")
        cp, cg = get("cpp", p).get("median_ns"), get("cpp", g).get("median_ns")
        op, og, oh = get("gen", p).get("median_ns"), get("gen", g).get("median_ns"), get("hw", g).get("median_ns")
        rows.append([c["module"], c["size"], fmt_time(cp), fmt_time(cg), fmt_time(op), fmt_time(og), fmt_time(oh),
                     fmt_ratio(op, cp), fmt_ratio(og, cg), fmt_ratio(oh, cg),
                     fmt_ratio(cg, cp), fmt_ratio(og, op), fmt_ratio(oh, op),
                     "yes" if not agree else "no: " + "; ".join(agree)])
        mem_rows.append([c["module"], c["size"],
                         fmt_mem(get("cpp", p).get("rss")), fmt_mem(get("cpp", g).get("rss")),
                         fmt_mem(get("gen", p).get("rss")), fmt_mem(get("gen", g).get("rss")), fmt_mem(get("hw", g).get("rss")),
                         f"{get('cpp', p).get('runs', 0)}/{get('cpp', g).get('runs', 0)}/{get('gen', p).get('runs', 0)}/"
                         f"{get('gen', g).get('runs', 0)}/{get('hw', g).get('runs', 0)}"])

    def table(header, body):
        out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(out)

    print(f"Median `evaluate` time per run (min_runs {args.min_runs}, min_seconds {args.min_seconds}; "
          f"the fastest of {args.repeat} sessions' medians); ratios of those; "
          "agree = GradBench's rule against the C++ output.\n")
    print(table(["eval", "size", "C++ primal", "C++ gradient", "ours primal", "ours gradient (generated)",
                 "ours gradient (hand-written)", "primal ours/C++", "gradient gen/C++", "gradient hw/C++",
                 "C++ grad/primal", "gen grad/primal", "hw grad/primal", "agree"], rows))
    print("\nPeak resident memory (MiB, `/usr/bin/time` maximum RSS of the whole process: input parsing and, "
          "for ours, the .NET runtime included) and runs timed.\n")
    print(table(["eval", "size", "C++ primal", "C++ gradient", "ours primal", "ours gradient (generated)",
                 "ours gradient (hand-written)", "runs C++ p/g, gen p/g, hw g"], mem_rows))
    if notes:
        print("\nFailures:\n")
        for n in notes:
            print(f"- {n}")
    if args.results:
        with open(args.results, "w") as f:
            json.dump([{"case": cases[i]["module"] + " " + cases[i]["size"], "tool": tool, "function": fn,
                        **{k: v for k, v in r.items() if k != "response"},
                        "output": (r.get("response") or {}).get("output")}
                       for (i, tool, fn), r in results.items()], f)


if __name__ == "__main__":
    main()
