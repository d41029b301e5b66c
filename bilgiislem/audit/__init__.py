"""Hardening audit: Lynis and OpenSCAP scores of the servers as dated evidence.

``invoke audit.hardening`` runs ``playbooks/audit-hardening.yml`` (role ``audit_scan``) on the
hosts, which scans each host and fetches the raw results to the controller. This package
then parses them (:mod:`lynis`, :mod:`openscap`), applies the waivers of the hardening role
(:mod:`waivers`), scores each host against the targets and writes the evidence
(:mod:`report`): a JSON and a Turkish HTML page per host, an ``index.html`` and a
``summary.json`` per run. :mod:`ssg` gets the OpenSCAP content (Debian's ``ssg-debian``
package from trixie) onto the controller.
"""

LYNIS_TARGET = 85
"""Minimum Lynis hardening index (0-100) a host must reach."""

OPENSCAP_TARGET = 95.0
"""Minimum OpenSCAP pass rate in percent: pass / (pass + fail) x 100."""

OPENSCAP_PROFILE = "xccdf_org.ssgproject.content_profile_anssi_bp28_intermediary"
"""The OpenSCAP profile the audit evaluates (ANSSI-BP-028, intermediary level)."""
