"""Backups by data class: the retention policy, the restore drill and the status report.

``retention`` is standard library only: the repository host imports the same file to prune.
"""
