"""The asset inventory (``invoke inventory.collect`` and ``inventory.report``).

What every asset is, read from the asset itself: the servers' hardware, operating system and
packages (Ansible facts, ``playbooks/asset-facts.yml``), the network devices' model, serial and
software (over SSH with Netmiko, as ``net.backup`` logs in), the cameras' ONVIF device
information, and the phones from the exchange's provisioning data (pbx.yml). ``report`` joins
that with the register data of ``varliklar.yml`` (registration numbers, warranties, licences)
into a Taşınır count list (CSV) and a Turkish HTML page that flags warranties ending soon and
licences installed more often than bought. See docs/assets.md.
"""
