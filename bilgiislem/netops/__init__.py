"""Operations on the network devices of the inventory, over SSH with Netmiko.

``net.backup`` (:func:`backup`): every device's running configuration, normalised (no noise
lines, secrets masked) in a git repository, one file per device and one commit per run that
changed something, like Oxidized and RANCID::

    from bilgiislem.netops import Target, backup

    run = backup([Target("sw-merkez-kat3", "cisco_ios", "10.10.0.13",
                         username="otomasyon", password=...)], Path("ag-yedekleri"))
    json.dumps(run.as_dict())
"""

from bilgiislem.netops.backup import BackupError, BackupRun, DeviceResult, backup, print_run
from bilgiislem.netops.normalize import MASK, normalize
from bilgiislem.netops.targets import Target, netmiko_type, show_config_command

__all__ = [
    "MASK",
    "BackupError",
    "BackupRun",
    "DeviceResult",
    "Target",
    "backup",
    "netmiko_type",
    "normalize",
    "print_run",
    "show_config_command",
]
