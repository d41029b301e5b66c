"""A stateful ONVIF camera simulator (stdlib only) for testing the camera tasks with the real
ONVIF client.

Each camera is a JSON file in a state directory and gets its own HTTP listener answering SOAP
1.2 at ``/onvif/device_service`` and ``/onvif/media_service`` (WS-Security UsernameToken
digest, ONVIF access classes and faults), plus ``/snapshot.jpg`` and an MJPEG stream at
``/mjpeg`` (HTTP Basic auth, any camera user). Faults: unreachable, clock offset, the vendor's
default password accepted again. Only relative imports: the directory alone is enough to run
``python3 -m bilgiislem.onvifsim`` (see ``__main__``).
"""

from .server import Simulator
from .state import VENDORS, fault, init_camera

__all__ = ["VENDORS", "Simulator", "fault", "init_camera"]
