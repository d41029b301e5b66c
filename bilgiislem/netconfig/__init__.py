"""Switch configurations from the inventory: one Jinja2 template per feature per vendor.

``intent.device_intent`` turns the inventory into what one device should be (VLANs, ports,
LAGs, management address, NTP, syslog, SNMPv3, local accounts, banner); ``render.render``
writes it in the vendor's syntax. The inventory validator (crosscheck) has already refused
anything a vendor's templates cannot express (``models.NETWORK_VENDORS``).
"""
