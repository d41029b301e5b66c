"""Serving a state directory: one HTTP listener per camera (its ``listen`` address), each in a
thread, plus a watcher thread that reloads changed state files, opens or closes listeners for
the unreachable fault and picks up cameras added to the directory."""

from __future__ import annotations

import base64
import contextlib
import copy
import hmac
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import ops
from .soap import SoapFault, check_token, envelope, fault_envelope, not_authorized, parse
from .state import Camera, apply_fault

FRAMES = [p.read_bytes() for p in sorted((Path(__file__).parent / "frames").glob("*.jpg"))]
MJPEG_FPS = 4
BOUNDARY = "bilgiislemframe"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], camera: Camera, latency_s: float) -> None:
        self.camera = camera
        self.latency_s = latency_s
        self.stopping = False
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bilgiislem-onvifsim/1.0"
    timeout = 60
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: 200 cameras would flood the terminal."""

    @property
    def camera(self) -> Camera:
        return self.server.camera

    def _gone(self) -> bool:
        """The unreachable fault (or a stop) while a keep-alive connection was open: drop it
        without an answer, as a powered-off camera would."""
        self.camera.refresh()
        if self.server.stopping or self.camera.data.get("faults", {}).get("unreachable"):
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return True
        return False

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self._gone():
            return
        table = ops.SERVICES.get(self.path.split("?")[0].rstrip("/"))
        if table is None:
            self._send(404, b"not found\n", "text/plain")
            return
        if self.server.latency_s:
            time.sleep(self.server.latency_s)
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        ctype = 'application/soap+xml; charset=utf-8'
        try:
            reply = self._soap(table, body, host)
        except SoapFault as fault:
            self._send(fault.http_status, fault_envelope(fault), ctype)
            return
        self._send(200, envelope(reply), ctype)

    def _soap(self, table: dict[str, tuple[int, ops.Handler, bool]], body: bytes,
              host: str) -> str:
        security, request = parse(body)
        name = request.tag.rsplit("}", 1)[-1]
        if name not in table:
            raise SoapFault("Receiver", ["ActionNotSupported"],
                            f"Optional Action Not Implemented: {name}")
        access, handler, changes = table[name]
        cam = self.camera
        with cam.lock:
            cam.refresh()
            if access != ops.PRE_AUTH:
                user = check_token(security, cam.data["users"], cam.now(), cam.seen_nonce)
                if ops.LEVEL_ACCESS[user["level"]] < access:
                    raise not_authorized(f"Sender not Authorized: {user['level']} may not "
                                         f"use {name}")
            if not changes:
                return handler(cam, request, host)
            before = cam.data
            cam.data = _copy(before)
            try:
                reply = handler(cam, request, host)
            except Exception:
                cam.data = before
                raise
            cam.save()
            return reply

    # --- images ---------------------------------------------------------------------------

    def _basic_user(self) -> bool:
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return False
            with self.camera.lock:
                self.camera.refresh()
                found = self.camera.user(user)
                return found is not None and hmac.compare_digest(
                    found["password"].encode(), password.encode())
        return False

    def do_GET(self) -> None:
        if self._gone():
            return
        path = self.path.split("?")[0]
        if path not in ("/snapshot.jpg", "/mjpeg"):
            self._send(404, b"not found\n", "text/plain")
            return
        if not self._basic_user():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="onvifsim"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/snapshot.jpg":
            frame = FRAMES[int(time.time() * MJPEG_FPS) % len(FRAMES)]
            self._send(200, frame, "image/jpeg")
            return
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        i = 0
        try:
            while not self.server.stopping:
                frame = FRAMES[i % len(FRAMES)]
                self.wfile.write(f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                                 f"Content-Length: {len(frame)}\r\n\r\n".encode()
                                 + frame + b"\r\n")
                self.wfile.flush()
                i += 1
                time.sleep(1 / MJPEG_FPS)
                if self.camera.data.get("faults", {}).get("unreachable"):
                    break
        except OSError:
            return


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(data)


def _parse_listen(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host.strip("[]") or "0.0.0.0", int(port or 0)


class Simulator:
    """Every camera of ``state_dir``, each served on its own listen address. A listen port of
    0 gets a free port, written back to the state file."""

    def __init__(self, state_dir: Path | str, *, latency_ms: float = 0,
                 watch_interval: float = 0.25) -> None:
        self.state_dir = Path(state_dir)
        self.latency_s = latency_ms / 1000
        self.watch_interval = watch_interval
        self.cameras: dict[str, Camera] = {}
        self.servers: dict[str, _Server] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> Simulator:
        self._scan()
        self._stop.clear()
        self._watcher = threading.Thread(target=self._watch, name="onvifsim-watch",
                                         daemon=True)
        self._watcher.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._watcher:
            self._watcher.join(timeout=5)
        with self._lock:  # each shutdown waits for its poll loop: do them side by side
            closing = [threading.Thread(target=self._close, args=(name,))
                       for name in list(self.servers)]
            for thread in closing:
                thread.start()
            for thread in closing:
                thread.join()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        try:
            while not self._stop.wait(3600):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    # --- listeners ---------------------------------------------------------------------

    def _open(self, name: str) -> None:
        cam = self.cameras[name]
        host, port = _parse_listen(cam.data["listen"])
        server = _Server((host, port), cam, self.latency_s)
        if port == 0:
            with cam.lock:
                cam.data["listen"] = f"{host}:{server.server_address[1]}"
                cam.save()
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.5},
                                  name=f"onvifsim-{name}", daemon=True)
        thread.start()
        self.servers[name], self._threads[name] = server, thread

    def _close(self, name: str) -> None:
        server = self.servers.get(name)
        self.servers.pop(name, None)
        self._threads.pop(name, None)
        if server is not None:
            server.stopping = True
            server.shutdown()
            server.server_close()

    def _sync(self, name: str) -> None:
        """Make the listener match the camera's unreachable fault and listen address."""
        with self._lock:
            cam = self.cameras[name]
            down = bool(cam.data.get("faults", {}).get("unreachable"))
            server = self.servers.get(name)
            if server is not None:
                host, port = _parse_listen(cam.data["listen"])
                if down or ((host, port) != server.server_address[:2] and port != 0):
                    self._close(name)
                    server = None
            if server is None and not down:
                self._open(name)

    def _scan(self) -> None:
        with self._lock:
            for path in sorted(self.state_dir.glob("*.json")):
                name = path.stem
                if name not in self.cameras:
                    self.cameras[name] = Camera(path)
                    if not self.cameras[name].data:
                        del self.cameras[name]
                        continue
                self.cameras[name].refresh()
                self._sync(name)

    def _watch(self) -> None:
        while not self._stop.wait(self.watch_interval):
            try:
                self._scan()
            except Exception as err:  # keep serving the others
                print(f"onvifsim: {err}", flush=True)

    # --- API for tests -----------------------------------------------------------------

    def address(self, name: str) -> tuple[str, int]:
        cam = self.cameras[name]
        with cam.lock:
            cam.refresh()
            return _parse_listen(cam.data["listen"])

    def state(self, name: str) -> dict[str, Any]:
        cam = self.cameras[name]
        with cam.lock:
            cam.refresh()
            return _copy(cam.data)

    def fault(self, name: str, *, clock_offset: float | None = None,
              unreachable: bool | None = None, factory_password: bool = False) -> None:
        """Inject a fault now (state file written, listener closed/opened before return)."""
        cam = self.cameras[name]
        with cam.lock:
            cam.refresh()
            apply_fault(cam.data, clock_offset=clock_offset, unreachable=unreachable,
                        factory_password=factory_password)
            cam.save()
        self._sync(name)
