"""The lab: the inventory's hosts as systemd containers on one machine (podman)."""

from bilgiislem.lab.manage import LabError, down, status, up

__all__ = ["LabError", "down", "status", "up"]
