import json, subprocess, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from cases import CASES, ERRORS
BIN = os.path.join(os.path.dirname(__file__), "..", "target/debug/mailsetup")
write = "--write" in sys.argv
only = [a for a in sys.argv[1:] if not a.startswith("--")]
outdir = os.path.join(os.path.dirname(__file__), "..", "tests/vectors")
for name, about, inp in CASES:
    if only and not any(o in name for o in only): continue
    r = subprocess.run([BIN, "check", "-", "--json"], input=json.dumps(inp), capture_output=True, text=True)
    rep = json.loads(r.stdout)
    fs = []
    for f in rep["findings"]:
        e = {"code": f["code"], "field": f["field"], "severity": f["severity"]}
        if "fix" in f: e["fix"] = f["fix"]["value"]
        fs.append(e)
    if not write:
        print(f"== {name}: {about}  [{rep['verdict']}] provider={rep.get('provider',{}).get('id') if rep.get('provider') else None}")
        print("   in:", json.dumps(inp))
        for f in rep["findings"]:
            fx = f" -> {json.dumps(f['fix']['value'])}" if "fix" in f else ""
            print(f"   {f['severity'][:4]} {f['code']} {f['field']}: {f['message']} | {f['help']}{fx}")
        if rep.get("fixed"): print("   fixed:", json.dumps(rep["fixed"]))
    else:
        vec = {"about": about, "input": inp,
               "provider": rep["provider"]["id"] if rep.get("provider") else None,
               "verdict": rep["verdict"], "findings": fs,
               "fixed": rep.get("fixed")}
        with open(os.path.join(outdir, name + ".json"), "w") as fh:
            json.dump(vec, fh, indent=2, ensure_ascii=False); fh.write("\n")
for name, about, text, want in ERRORS:
    if only and not any(o in name for o in only): continue
    r = subprocess.run([BIN, "check", "-", "--json"], input=text, capture_output=True, text=True)
    if not write:
        print(f"== {name}: rc={r.returncode} {r.stderr.strip()}  (want {want!r}: {want in r.stderr})")
    else:
        with open(os.path.join(outdir, name + ".json"), "w") as fh:
            json.dump({"about": about, "inputText": text, "error": want}, fh, indent=2, ensure_ascii=False); fh.write("\n")
