"""A stateful simulator of network devices that real client libraries (Netmiko) drive.

It stands in for the Cisco IOS and Huawei VRP switches and the MikroTik routers the lab does
not have: an SSH server (paramiko) per simulated device, a CLI that behaves like the vendor's
(prompts, modes, abbreviations, errors with the caret line) and a configuration that is really
kept: what is configured is what ``show running-config`` / ``display current-configuration``
prints, ``write memory`` / ``save`` persists it to the state directory, and a restart loads it
back. RouterOS 7 (``routeros.py``, its script language in ``ros_script.py``) keeps menus of
items instead of configuration text, prints them with ``/export`` and saves every change at
once; what is said below of accounts and faults holds for it too, the rest is IOS and VRP.

Like the real devices, and so that a configuration tool meets what it will meet on them:

- **Accounts.** Logins are checked against the running configuration's local accounts (IOS
  ``username``, VRP ``local-user`` with ``service-type ssh``). A device starts with one, the
  definition's ``username``/``password`` (IOS ``privilege 15``, or privilege 1 and an ``enable
  secret`` when the definition has one), in an initial configuration made for SSH management;
  a push that changes that account's password changes what the next login needs.
- **Secrets.** IOS ``secret 0 PLAIN`` is kept and shown as ``secret 9 $9$<salt>$<scrypt>``;
  VRP ``irreversible-cipher PLAIN`` as ``$1c$...$``, VRP ``cipher`` values and SNMPv3 keys as
  ``cipher %^%#...%^%#``. IOS keeps ``snmp-server user`` lines out of the configuration it
  shows (``show snmp user`` lists them; they are saved all the same).
- **Banners.** IOS ``banner login ^`` then text lines then ``^`` (delimiter mode: "Enter TEXT
  message..."), VRP ``header login information "`` ... ``"`` over several lines; both are shown
  as typed, the delimiter included (IOS prints ``^C``; keeping ``^`` as typed makes a template
  that uses ``^`` compare equal).
- **What is not shown.** Defaults (IOS ``service pad``, ``no shutdown``) leave no line; VRP
  prints VLAN lists with ranges (``10 to 12``), ``undo vlan batch`` deletes the VLANs with
  their settings.

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
  the running configuration (not saved). Lines that fail, navigation (``exit``, ``end``) and
  exec commands (``do``, ``display``) do not count; a multi-line banner counts once, when its
  closing delimiter comes.
- ``reject``: regular expressions; a configuration line matching one (as typed or with its
  keywords spelled out) gets the vendor's invalid-input error and is not applied.
"""

from bilgiislem.netsim.device import DeviceSpec, Faults, load_devices
from bilgiislem.netsim.server import Simulator

__all__ = ["DeviceSpec", "Faults", "Simulator", "load_devices"]
