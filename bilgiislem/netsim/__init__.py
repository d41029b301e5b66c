"""A stateful simulator of network switches that real client libraries (Netmiko) drive.

It stands in for the Cisco IOS and Huawei VRP switches the lab does not have: an SSH server
(paramiko) per simulated device, a CLI that behaves like the vendor's (prompts, modes,
abbreviations, errors with the caret line) and a configuration that is really kept: what is
configured is what ``show running-config`` / ``display current-configuration`` prints, ``write
memory`` / ``save`` persists it to the state directory, and a restart loads it back.

From Python (pytest)::

    from bilgiislem.netsim import DeviceSpec, Simulator

    with Simulator([DeviceSpec("sw1", "cisco_ios")], tmp_path) as sim:
        conn = ConnectHandler(**sim.netmiko_args("sw1"))

From the shell: ``python -m bilgiislem.netsim --devices devices.json --state-dir DIR``.

Faults (``DeviceSpec.faults``):

- ``auth_fail``: every login is refused, whatever the credentials.
- ``timeout``: the TCP connection is accepted but the SSH banner is never sent.
- ``slow``: seconds to wait before every answer (login banner, each prompt).
- ``drop_after_config_lines``: the Nth configuration line a session applies in configuration
  mode resets the TCP connection right after it is applied; the lines applied so far stay in
  the running configuration. Lines that fail, navigation (``exit``, ``end``) and exec commands
  (``do``, ``display``) do not count.
- ``reject``: regular expressions; a configuration line matching one (as typed or with its
  keywords spelled out) gets the vendor's invalid-input error and is not applied.
"""

from bilgiislem.netsim.device import DeviceSpec, Faults, load_devices
from bilgiislem.netsim.server import Simulator

__all__ = ["DeviceSpec", "Faults", "Simulator", "load_devices"]
