#!/usr/bin/env python3
"""Checks grafana/ (dashboards and provisioning) statically and, with --prometheus,
runs every dashboard query against a real Prometheus and Alertmanager.

usage: check_dashboards.py GRAFANA_DIR
         [--prometheus URL --alertmanager URL --job REGEX --partner NAME
          --start UNIX_SECONDS --rate-interval 30s --interval 15s
          [--single-job JOB]]

Static: every dashboard is valid JSON with a stable uid (its file name), no id,
schemaVersion 36-39, the variables `datasource` (Prometheus) and `job`, unique
panel ids and titles, a title and a data source reference on every panel and
target, `job=~"$job"` on every metric selector, only known variables; the
provisioning YAML parses and points at the installed dashboards and provides a
data source of every type the dashboards ask for.

Live: every templating query and every panel target (rows' nested panels
included), with the Grafana variables replaced, must parse and return data,
as an instant query (finite values; no __name__ in tables that merge their
queries, or Grafana cannot join the rows) and, for time series panels, as a
range query; with an unknown job it must return nothing (the job filter
works); with --single-job
(a job scraping one replica while --job scrapes two) the fleet figures of the
SLA and partner dashboards must be the same (replicas counted once). Alert
tables (Alertmanager data source) are run against the Alertmanager the way the
plugin does (GET /api/v2/alerts with its filters) and must list alerts with the
columns the table shows.

Prints one "FAIL: dashboard / panel: expr: why" line per failure and, last,
"N passed, M failed"; exits 1 when something failed.
"""
import argparse
import json
import math
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PROMETHEUS_TYPE = "prometheus"
ALERTMANAGER_TYPE = "camptocamp-prometheus-alertmanager-datasource"
PROVIDER_PATH = "/usr/share/slamon/grafana/dashboards"
GRAFANA_BUILTINS = {"__rate_interval", "__interval", "__interval_ms", "__range", "__range_s",
                    "__range_ms", "__from", "__to", "__dashboard", "__org", "__user", "__name"}
# Metric names in expressions: slamon's own and the ones Prometheus adds per scrape.
METRIC_RE = re.compile(r"\b(slamon_[a-z_]+|up|scrape_[a-z_]+)\b(\s*\{[^}]*\})?")
VAR_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)")

passed = 0
failed = 0


def ok():
    global passed
    passed += 1


def fail(where, what):
    global failed
    failed += 1
    print(f"FAIL: {where}: {what}")


def check(cond, where, what):
    if cond:
        ok()
    else:
        fail(where, what)
    return cond


def all_panels(panels):
    """Panels in order, rows' nested (collapsed) panels included."""
    for p in panels:
        yield p
        yield from all_panels(p.get("panels", []))


def variables_used(text):
    return {a or b or c for a, b, c in VAR_RE.findall(text)}


# ------------------------------------------------------------------ static checks
def check_dashboard(path, dash):
    name = os.path.basename(path)
    check(dash.get("uid") == name[:-len(".json")], name, f"uid {dash.get('uid')!r} is not the file name")
    check("id" not in dash or dash["id"] is None, name, "has an id (let Grafana assign it)")
    check(isinstance(dash.get("title"), str) and dash["title"], name, "no title")
    check(36 <= dash.get("schemaVersion", 0) <= 39, name, f"schemaVersion {dash.get('schemaVersion')}")
    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    ds = variables.get("datasource", {})
    check(ds.get("type") == "datasource" and ds.get("query") == PROMETHEUS_TYPE, name,
          "no variable `datasource` of type datasource for prometheus")
    job = variables.get("job", {})
    jq = job.get("query")
    jq = jq.get("query") if isinstance(jq, dict) else jq
    check(job.get("type") == "query" and isinstance(jq, str) and re.search(r"label_values\(.*\bjob\)", jq or ""),
          name, "no variable `job` from label_values(..., job)")
    for v in variables.values():
        if v.get("type") == "query":
            check(v.get("datasource") == {"type": PROMETHEUS_TYPE, "uid": "${datasource}"}, name,
                  f"variable {v.get('name')}: datasource is not the $datasource variable")
    ids, titles = set(), set()
    for p in all_panels(dash.get("panels", [])):
        title = p.get("title")
        where = f"{name} / {title}"
        check(isinstance(p.get("id"), int) and p["id"] not in ids, where, f"panel id {p.get('id')} missing or repeated")
        ids.add(p.get("id"))
        check(isinstance(title, str) and title, where, "panel without title")
        check(title not in titles, where, "panel title repeated in the dashboard")
        titles.add(title)
        check(isinstance(p.get("gridPos"), dict), where, "no gridPos")
        if p.get("type") == "row":
            continue
        ref = p.get("datasource")
        good_refs = ({"type": PROMETHEUS_TYPE, "uid": "${datasource}"},
                     {"type": ALERTMANAGER_TYPE, "uid": "${alertmanager}"})
        check(ref in good_refs, where, f"panel data source {ref!r} is not a variable reference")
        targets = p.get("targets", [])
        check(len(targets) > 0, where, "no targets")
        for t in targets:
            check(t.get("datasource") == ref, where, f"target {t.get('refId')}: data source differs from the panel's")
            if ref and ref.get("type") == PROMETHEUS_TYPE:
                expr = t.get("expr", "")
                check(bool(expr.strip()), where, f"target {t.get('refId')}: no expr")
                for m in METRIC_RE.finditer(expr):
                    check(m.group(2) is not None and 'job=~"$job"' in m.group(2), where,
                          f"{expr}: selector {m.group(0)!r} does not filter on job=~\"$job\"")
                text = expr + " " + t.get("legendFormat", "")
            else:
                text = t.get("filters", "")
                check(bool(text.strip()), where, "alert table without filters")
            for var in variables_used(text) | variables_used(title):
                check(var in variables or var in GRAFANA_BUILTINS, where, f"unknown variable ${var}")


def check_provisioning(grafana_dir, dashboards):
    try:
        import yaml
    except ImportError:
        fail("provisioning", "python3 cannot import yaml (Debian package python3-yaml)")
        return
    path = os.path.join(grafana_dir, "provisioning/dashboards/slamon.yml")
    try:
        doc = yaml.safe_load(open(path))
        providers = doc["providers"]
        ok()
    except Exception as e:  # noqa: BLE001 - any parse or shape error fails the check
        fail(path, f"does not parse as a provisioning file: {e}")
        providers = []
    check(any(p.get("type") == "file" and p.get("options", {}).get("path") == PROVIDER_PATH
              for p in providers), path, f"no file provider for {PROVIDER_PATH}")
    path = os.path.join(grafana_dir, "provisioning/datasources/slamon.yml")
    try:
        doc = yaml.safe_load(open(path))
        sources = doc["datasources"]
        ok()
    except Exception as e:  # noqa: BLE001
        fail(path, f"does not parse as a provisioning file: {e}")
        sources = []
    types = {s.get("type") for s in sources}
    check(all(s.get("name") and s.get("uid") and s.get("url", "").startswith("http") for s in sources),
          path, "a data source without name, uid or http URL")
    check(any(s.get("type") == PROMETHEUS_TYPE and s.get("url") == "http://127.0.0.1:9090" for s in sources),
          path, "no Prometheus data source at http://127.0.0.1:9090")
    wanted = set()
    for dash in dashboards.values():
        for v in dash.get("templating", {}).get("list", []):
            if v.get("type") == "datasource":
                wanted.add(v.get("query"))
    for w in sorted(wanted):
        check(w in types, path, f"no data source of type {w}, which a dashboard variable asks for")


# ------------------------------------------------------------------- live checks
def http_json(url, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, body, timeout=20) as r:
            return json.load(r), None
    except urllib.error.HTTPError as e:
        try:
            return None, f"HTTP {e.code}: {json.load(e).get('error', '')}"
        except Exception:  # noqa: BLE001
            return None, f"HTTP {e.code}"
    except Exception as e:  # noqa: BLE001
        return None, str(e)


class Live:
    def __init__(self, args):
        self.args = args
        self.now = time.time()
        rng = max(60, int(math.ceil(self.now - args.start)))
        self.range_s = rng
        self.values = {
            "__rate_interval": args.rate_interval, "__interval": args.interval,
            "__interval_ms": str(duration_seconds(args.interval) * 1000),
            "__range": f"{rng}s", "__range_s": str(rng), "__range_ms": str(rng * 1000),
            "datasource": "prometheus", "alertmanager": "alertmanager",
            "partner": args.partner,
        }

    def substitute(self, text, job):
        values = dict(self.values, job=job)

        def repl(m):
            name = m.group(1) or m.group(2) or m.group(3)
            return values.get(name, m.group(0))
        return VAR_RE.sub(repl, text)

    def instant(self, expr):
        doc, err = http_json(self.args.prometheus + "/api/v1/query", {"query": expr, "time": f"{self.now:.3f}"})
        if err:
            return None, err
        return doc["data"]["result"], None

    def range(self, expr):
        doc, err = http_json(self.args.prometheus + "/api/v1/query_range",
                             {"query": expr, "start": f"{self.args.start:.3f}", "end": f"{self.now:.3f}",
                              "step": "5"})
        if err:
            return None, err
        return doc["data"]["result"], None

    def run_target(self, where, expr, timeseries, compare, merged=False):
        real = self.substitute(expr, self.args.job)
        left = variables_used(real)
        if not check(not left, where, f"{expr}: variables left after substitution: {sorted(left)}"):
            return
        result, err = self.instant(real)
        if not check(err is None, where, f"{real}: instant query failed: {err}"):
            return
        check(len(result) > 0, where, f"{real}: instant query returned no data")
        values = [float(r["value"][1]) for r in result]
        check(all(math.isfinite(v) for v in values), where, f"{real}: NaN or infinite values: {values}")
        if merged:  # Grafana's merge joins rows only where all shared columns are equal
            check(all("__name__" not in r["metric"] for r in result), where,
                  f"{real}: keeps __name__, so the merge transformation cannot join its rows")
        if self.args.verbose:
            print(f"{where}: {real}")
            for r in result[:6]:
                print(f"    {r['metric']} {r['value'][1]}")
        if timeseries:
            series, err = self.range(real)
            if check(err is None, where, f"{real}: range query failed: {err}"):
                points = [float(v[1]) for s in series for v in s["values"]]
                check(any(not math.isnan(v) for v in points), where,
                      f"{real}: range query returned no data")
        none, err = self.instant(self.substitute(expr, "no-such-job"))
        check(err is None and none == [], where, f"{expr}: returns data for another job: {none}")
        if compare and self.args.single_job:
            one, err = self.instant(self.substitute(expr, self.args.single_job))
            if check(err is None, where, f"{expr}: single-job query failed: {err}"):
                self.compare(where, real, result, one)

    def compare(self, where, expr, both, one):
        def key(r):
            return tuple(sorted((k, v) for k, v in r["metric"].items() if k not in ("job", "instance")))
        a = {key(r): float(r["value"][1]) for r in both}
        b = {key(r): float(r["value"][1]) for r in one}
        if not check(a.keys() == b.keys(), where, f"{expr}: other series with two replicas than with one"):
            return
        for k in a:
            x, y = a[k], b[k]
            if math.isnan(x) and math.isnan(y):
                continue
            # Both scrapes see the same figures; increase() extrapolates a little
            # differently. Counting a replica twice doubles the value.
            same = abs(x - y) <= 0.2 * max(abs(x), abs(y)) + 1e-9 or abs(x - y) < 0.3
            if not check(same, where, f"{expr}: {dict(k)} is {x} with two replicas, {y} with one"):
                return

    def run_variable(self, dash_name, var):
        where = f"{dash_name} / variable {var['name']}"
        if var.get("type") != "query":
            return
        q = var["query"]["query"] if isinstance(var["query"], dict) else var["query"]
        q = self.substitute(q, self.args.job)
        m = re.fullmatch(r"label_values\((?:(.*),\s*)?(\w+)\)", q.strip())
        if not check(m is not None, where, f"{q}: not label_values(...)"):
            return
        selector, label = m.group(1), m.group(2)
        if selector:
            doc, err = http_json(self.args.prometheus + "/api/v1/series",
                                 {"match[]": selector, "start": f"{self.args.start:.3f}", "end": f"{self.now:.3f}"})
            found = sorted({s[label] for s in doc["data"] if label in s}) if doc else []
        else:
            doc, err = http_json(self.args.prometheus + f"/api/v1/label/{label}/values")
            found = doc["data"] if doc else []
        if not check(err is None, where, f"{q}: {err}"):
            return
        want = {"job": self.args.job, "partner": self.args.partner}.get(var["name"])
        check(len(found) > 0 and (want is None or want in found), where,
              f"{q}: values {found}, wanted {want or 'some'}")

    def run_alert_table(self, where, panel):
        """The way camptocamp-prometheus-alertmanager-datasource queries: flags and
        one filter parameter per comma-separated matcher."""
        shown = set()
        for tr in panel.get("transformations", []):
            if tr.get("id") == "filterFieldsByName":
                shown |= set(tr["options"]["include"]["names"])
        for t in panel["targets"]:
            params = [("active", str(t.get("active", True)).lower()),
                      ("silenced", str(t.get("silenced", False)).lower()),
                      ("inhibited", str(t.get("inhibited", False)).lower())]
            if t.get("receiver"):
                params.append(("receiver", t["receiver"]))
            filters = self.substitute(t.get("filters", ""), self.args.job)
            params += [("filter", f) for f in filters.split(",") if f]
            url = self.args.alertmanager + "/api/v2/alerts?" + urllib.parse.urlencode(params)
            alerts, err = http_json(url)
            if not check(err is None, where, f"{filters}: Alertmanager refused the filter: {err}"):
                continue
            if not check(len(alerts) > 0, where, f"{filters}: no alerts in Alertmanager"):
                continue
            have = {"Time"}
            for a in alerts:
                have |= set(a.get("labels", {})) | set(a.get("annotations", {}))
            missing = sorted(shown - have)
            check(not missing, where, f"{filters}: the table shows {missing}, which no alert has")
            if self.args.verbose:
                print(f"{where}: {filters}")
                for a in alerts[:6]:
                    print(f"    {a['labels']}")
            names = sorted({a["labels"].get("alertname") for a in alerts})
            check(all(re.fullmatch(r"Sla\w+|Quota\w+|Certification\w+", n or "") for n in names), where,
                  f"{filters}: alerts that are not slamon's: {names}")

    def run(self, dashboards):
        for name, dash in sorted(dashboards.items()):
            fleet = "daemon" not in name  # SLA and partner figures: replicas counted once
            for var in dash.get("templating", {}).get("list", []):
                self.run_variable(name, var)
            for p in all_panels(dash.get("panels", [])):
                if p.get("type") == "row":
                    continue
                where = f"{name} / {p.get('title')}"
                if p.get("datasource", {}).get("type") == ALERTMANAGER_TYPE:
                    self.run_alert_table(where, p)
                    continue
                merged = any(tr.get("id") == "merge" for tr in p.get("transformations", []))
                for t in p.get("targets", []):
                    self.run_target(where, t.get("expr", ""), p.get("type") == "timeseries", fleet, merged)


def duration_seconds(d):
    return int(d[:-1]) * {"s": 1, "m": 60, "h": 3600}[d[-1]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("grafana_dir")
    ap.add_argument("--prometheus")
    ap.add_argument("--alertmanager")
    ap.add_argument("--job", default="slamon")
    ap.add_argument("--single-job")
    ap.add_argument("--partner", default="acme")
    ap.add_argument("--start", type=float, default=0)
    ap.add_argument("--rate-interval", default="30s")
    ap.add_argument("--interval", default="15s")
    ap.add_argument("--verbose", action="store_true", help="print every query and its first results")
    args = ap.parse_args()

    dashboards = {}
    ddir = os.path.join(args.grafana_dir, "dashboards")
    files = sorted(f for f in os.listdir(ddir) if f.endswith(".json"))
    check(len(files) >= 3, ddir, f"expected the three dashboards, found {files}")
    for f in files:
        path = os.path.join(ddir, f)
        try:
            dash = json.load(open(path))
            ok()
        except ValueError as e:
            fail(f, f"not valid JSON: {e}")
            continue
        check_dashboard(path, dash)
        dashboards[f[:-len(".json")]] = dash
    uids = [d.get("uid") for d in dashboards.values()]
    check(len(uids) == len(set(uids)), ddir, f"uids repeated: {uids}")
    check_provisioning(args.grafana_dir, dashboards)

    if args.prometheus:
        Live(args).run(dashboards)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
