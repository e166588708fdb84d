#!/usr/bin/env python3
"""A PhaseRunner plugin (protocol v1): writes docs/api.md, a Markdown table of every
endpoint per model, from the `api` field of `execute`. Standard library only."""
import json
import sys

PROTOCOL_VERSION = 1


def send(message):
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def cell(text):
    return str(text).replace("|", "\\|")


def render(api):
    lines = ["# API endpoints", "", f"Every route is under `{api['prefix']}`.", ""]
    for model in api["models"]:
        lines += [f"## {model['model']}", "", f"Mounted at `{model['route']}`" + (" (read-only)." if model["readOnly"] else "."), ""]
        lines += ["| method | path | operation |", "| --- | --- | --- |"]
        for e in model["endpoints"]:
            lines.append(f"| {e['method']} | `{cell(e['path'])}` | {cell(e['operation'])} |")
        lines.append("")
    return "\n".join(lines)


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        method, rid = request.get("method"), request.get("id")
        if method == "describe":
            send({"jsonrpc": "2.0", "id": rid, "result": {
                "name": "apiDocs", "order": 13, "description": "Write docs/api.md: every endpoint per model",
                "optional": False, "protocolVersion": PROTOCOL_VERSION}})
        elif method == "execute":
            api = request["params"]["api"]
            models = api["models"]
            for i, model in enumerate(models, 1):
                send({"jsonrpc": "2.0", "method": "progress", "params": {"done": i, "total": len(models), "message": model["model"]}})
            count = sum(len(m["endpoints"]) for m in models)
            print(f"api-docs: {count} endpoints in {len(models)} models", file=sys.stderr, flush=True)
            warnings = [] if models else ["the schema has no model with an API"]
            send({"jsonrpc": "2.0", "id": rid, "result": {
                "files": [{"path": "docs/api.md", "content": render(api)}],
                "warnings": warnings, "message": f"docs/api.md: {count} endpoints"}})
        else:
            send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": f"unknown method {method}"}})


if __name__ == "__main__":
    main()
