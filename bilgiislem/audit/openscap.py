"""OpenSCAP results: the XCCDF 1.2 results file ``oscap xccdf eval --results`` writes.

The file holds the resolved benchmark (rules with their titles) and one ``TestResult`` with a
``rule-result`` per rule. Rules the profile does not select (``notselected``) are left out of
every count. The pass rate is ``pass / (pass + fail) x 100``: rules that do not apply to the
host (``notapplicable``), that OpenSCAP cannot check automatically (``notchecked``,
``informational``) or that it could not evaluate (``error``, ``unknown``) are outside it;
``error`` and ``unknown`` are reported as findings of their own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

NS = "{http://checklists.nist.gov/xccdf/1.2}"
RULE_PREFIX = "xccdf_org.ssgproject.content_rule_"
RESULTS = ("pass", "fail", "error", "unknown", "notapplicable", "notchecked",
           "informational", "fixed")
FAILING = ("fail", "error", "unknown")
"""Results that count as a finding (open unless waived)."""


@dataclass(frozen=True)
class RuleResult:
    id: str
    title: str
    severity: str
    result: str

    @property
    def short_id(self) -> str:
        return self.id.removeprefix(RULE_PREFIX)


@dataclass
class OscapResult:
    benchmark: str
    benchmark_version: str
    profile: str
    profile_title: str
    scanner: str  # e.g. cpe:/a:redhat:openscap:1.3.7
    start: str
    end: str
    score: float | None  # OpenSCAP's own weighted score (urn:xccdf:scoring:default)
    rules: list[RuleResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(RESULTS, 0)
        for r in self.rules:
            out[r.result] = out.get(r.result, 0) + 1
        return out

    @property
    def pass_rate(self) -> float | None:
        return pass_rate(self.counts)

    @property
    def scanner_version(self) -> str:
        return self.scanner.rsplit(":", 1)[-1] if self.scanner else ""

    def failing(self) -> list[RuleResult]:
        return [r for r in self.rules if r.result in FAILING]


class OscapParseError(ValueError):
    pass


def pass_rate(counts: dict[str, int]) -> float | None:
    """pass / (pass + fail) x 100, rounded to 0.1; None when no rule passed or failed."""
    passed, failed = counts.get("pass", 0), counts.get("fail", 0)
    if passed + failed == 0:
        return None
    return round(passed * 100 / (passed + failed), 1)


def _text(elem: ET.Element | None) -> str:
    return " ".join("".join(elem.itertext()).split()) if elem is not None else ""


def parse_results(path: str | Path) -> OscapResult:
    """Parse an XCCDF results file; raise OscapParseError if it has no TestResult."""
    titles: dict[str, str] = {}
    profiles: dict[str, str] = {}
    benchmark = version = ""
    test: ET.Element | None = None
    try:
        for event, elem in ET.iterparse(str(path), events=("start", "end")):
            tag = elem.tag
            if event == "start":
                if tag == f"{NS}Benchmark" and not benchmark:
                    benchmark = elem.get("id", "")
                continue
            if tag == f"{NS}version" and not version:
                version = (elem.text or "").strip()
            elif tag == f"{NS}Rule":
                titles[elem.get("id", "")] = _text(elem.find(f"{NS}title"))
                elem.clear()
            elif tag == f"{NS}Profile":
                profiles[elem.get("id", "")] = _text(elem.find(f"{NS}title"))
                elem.clear()
            elif tag == f"{NS}TestResult":
                test = elem
    except ET.ParseError as exc:
        raise OscapParseError(f"{path}: not a readable XCCDF results file: {exc}") from None
    if test is None:
        raise OscapParseError(f"{path}: no TestResult (did the scan finish?)")
    profile_elem = test.find(f"{NS}profile")
    profile = profile_elem.get("idref", "") if profile_elem is not None else ""
    score_elem = test.find(f"{NS}score")
    rules = []
    for rr in test.iter(f"{NS}rule-result"):
        result = (rr.findtext(f"{NS}result") or "").strip()
        if result == "notselected":
            continue
        rid = rr.get("idref", "")
        rules.append(RuleResult(rid, titles.get(rid, ""), rr.get("severity", "unknown"), result))
    return OscapResult(
        benchmark=benchmark,
        benchmark_version=test.get("version", "") or version,
        profile=profile,
        profile_title=profiles.get(profile, ""),
        scanner=test.get("test-system", ""),
        start=test.get("start-time", ""),
        end=test.get("end-time", ""),
        score=float(score_elem.text) if score_elem is not None and score_elem.text else None,
        rules=rules,
    )
