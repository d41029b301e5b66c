"""Cameras and NVR as code: IP cameras configured and audited over ONVIF.

``target`` describes what a camera should be (from the inventory, see ``plan``), ``onvif``
talks to a camera with onvif-zeep-async, ``apply`` brings cameras to their target (or, in
check mode, says what it would change), ``audit`` looks for drift, default passwords, clock
and firmware problems, and ``report`` writes the dated evidence. ``defaults`` lists the
vendors' well-known factory credentials.
"""
