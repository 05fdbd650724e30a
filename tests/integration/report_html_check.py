#!/usr/bin/env python3
"""Compares the figures of `slamon report --format html` with the JSON report.

usage: report_html_check.py DOM.html REPORT.json
  DOM.html     the page as Chromium's DOM (chromium --headless --dump-dom)
  REPORT.json  `slamon report --format json` for the same data and instant

The page marks each figure (docs/commands.md, "slamon report"): a row's keys
are data- attributes of its <tr>; a cell names its JSON field in data-field
and holds its JSON value in data-value, or as its text; a burn-down step is a
<circle> with data-at, data-incidents-used and data-incidents-limit. Prints
one line per mismatch and exits 1 if there is any.
"""
import json
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    """The figures of the page: summary facts, table rows, chart steps."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.facts = {}  # data-field of a <dd> -> value
        self.tables = {}  # table id (or the section's period) -> [row]
        self.steps = {}  # quota period start -> [(at, used, limit)]
        self.names = []  # the partner name element's text
        self._table = None
        self._row = None
        self._cell = None  # [field, value or None, text]
        self._quota = None
        self._in_name = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "data-period-start" in a:
            self._quota = a["data-period-start"]
            self.steps.setdefault(self._quota, [])
        if tag == "table":
            self._table = a.get("id") or ("quota " + (self._quota or "?"))
            self.tables.setdefault(self._table, [])
        if tag == "tr" and self._table is not None:
            self._row = {"_keys": {k: v for k, v in a.items() if k.startswith("data-")}}
        if tag in ("td", "dd") and "data-field" in a:
            self._cell = [a["data-field"], a.get("data-value"), ""]
        if tag == "circle" and self._quota is not None:
            self.steps[self._quota].append(
                (a.get("data-at"), a.get("data-incidents-used"), a.get("data-incidents-limit")))
        if a.get("id") == "partner-name":
            self._in_name = True

    def handle_endtag(self, tag):
        if tag in ("td", "dd") and self._cell is not None:
            field, value, text = self._cell
            value = value if value is not None else " ".join(text.split())
            if tag == "dd":
                self.facts[field] = value
            elif self._row is not None:
                self._row[field] = value
            self._cell = None
        if tag == "tr" and self._row is not None:
            if len(self._row) > 1:  # not the header
                self.tables[self._table].append(self._row)
            self._row = None
        if tag == "table":
            self._table = None
        if tag == "section":
            self._quota = None
        if tag == "span" and self._in_name:
            self._in_name = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data
        if self._in_name:
            self.names.append(data)


def text(value):
    """A JSON value as the page writes it in data-value or text."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


problems = []


def same(where, want, got):
    if isinstance(want, float):
        try:
            ok = abs(float(got) - want) < 1e-12
        except ValueError:
            ok = False
    else:
        ok = text(want) == got
    if not ok:
        problems.append(f"{where}: JSON {want!r}, page {got!r}")


def compare_rows(name, want_rows, got_rows, fields):
    same(f"{name}: rows", len(want_rows), str(len(got_rows)))
    for i, (want, got) in enumerate(zip(want_rows, got_rows)):
        for field in fields:
            if field not in got:
                problems.append(f"{name}[{i}].{field}: not on the page")
            else:
                same(f"{name}[{i}].{field}", want[field], got[field])


def main():
    page = Page()
    with open(sys.argv[1], encoding="utf-8") as f:
        page.feed(f.read())
    with open(sys.argv[2], encoding="utf-8") as f:
        report = json.load(f)

    same("partner.name", report["partner"]["name"], "".join(page.names))
    for group, fields in (("partner", ["id", "policy", "timezone"]),
                          ("period", ["from", "to", "evaluated_at"]),
                          ("tickets", ["opened", "open_at_end", "incidents"]),
                          ("certification",
                           ["certified", "certified_employees", "certified_until"])):
        for field in fields:
            key = f"{group}.{field}"
            if key not in page.facts:
                problems.append(f"{key}: not on the page")
            else:
                same(key, report[group][field], page.facts[key])

    compare_rows("compliance", report["compliance"], page.tables.get("compliance", []),
                 ["target", "severity", "on_time", "late", "breached_open", "decided",
                  "compliance", "overdue", "running", "at_risk", "paused", "unscheduled",
                  "not_applicable"])
    compare_rows("breaches", report["breaches"], page.tables.get("breaches", []),
                 ["ticket", "severity", "target", "deadline", "stopped_at", "outcome"])
    compare_rows("billing", report["billing"], page.tables.get("billing", []),
                 ["ticket", "severity", "opened_at", "quota_period_start", "incidents",
                  "billable_incidents"])
    compare_rows("fees", report["fees"], page.tables.get("fees", []),
                 ["ticket", "severity", "opened_at", "reason"])
    compare_rows("unsupported", report["unsupported"], page.tables.get("unsupported", []),
                 ["ticket", "severity", "opened_at", "product", "version", "status"])
    quota_rows = [row for name, rows in page.tables.items() if name.startswith("quota ")
                  for row in rows]
    compare_rows("quota", report["quota"], quota_rows,
                 ["period_start", "period_end", "incidents_used", "incidents_limit",
                  "credits", "over_quota", "billable_incidents", "fees",
                  "incidents_in_report", "billable_in_report"])
    for q in report["quota"]:
        start = q["period_start"]
        want = [(s["at"], text(s["incidents_used"]), text(s["incidents_limit"]))
                for s in q["usage"]]
        got = page.steps.get(start)
        if got != want:
            problems.append(f"quota {start}: burn-down steps: JSON {want}, page {got}")

    for p in problems:
        print("  " + p)
    print(f"{len(problems)} mismatches; compared {len(page.facts)} facts, "
          f"{sum(len(r) for r in page.tables.values())} rows, "
          f"{sum(len(s) for s in page.steps.values())} burn-down steps")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
