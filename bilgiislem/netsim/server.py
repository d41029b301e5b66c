"""The SSH side: one process serving many simulated devices, each on its own address and port.

One thread accepts connections for every device; each connection gets a paramiko ``Transport``
(password authentication; its own thread) and each session channel a thread: a shell (with
pty, what Netmiko uses) runs a :class:`Terminal`, an ``exec`` request runs one command.

    with Simulator(specs, state_dir) as sim:
        ConnectHandler(**sim.netmiko_args("sw1"))
"""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import paramiko

from bilgiislem.netsim.device import DeviceSpec
from bilgiislem.netsim.state import DeviceState
from bilgiislem.netsim.terminal import Terminal

log = logging.getLogger(__name__)
# paramiko's own log of the server side of the connections; clients that hang up without
# saying goodbye make it log errors, so it only shows what is asked for (``--verbose``)
SSH_LOG = "bilgiislem.netsim.ssh"
logging.getLogger(SSH_LOG).setLevel(logging.CRITICAL)

class Simulator:
    """Serves ``specs`` from one process; per-device state lives under ``state_dir``."""

    def __init__(self, specs: Iterable[DeviceSpec], state_dir: Path) -> None:
        self.devices = {spec.name: DeviceState(spec, Path(state_dir)) for spec in specs}
        self.addresses: dict[str, tuple[str, int]] = {}
        self._stopping = threading.Event()
        self._listeners: dict[socket.socket, DeviceState] = {}
        self._open: set[socket.socket | paramiko.Transport] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._wake, self._woken = socket.socketpair()  # stop() wakes the accepting thread up

    def start(self) -> None:
        """Boot every device and listen; returns once all of them accept connections."""
        try:
            for name, state in self.devices.items():
                state.boot()
                sock = socket.create_server((state.spec.host, state.spec.port), backlog=64)
                self._listeners[sock] = state
                self.addresses[name] = sock.getsockname()[:2]
        except BaseException:
            self.stop()
            raise
        self._spawn(self._accept_loop)

    def stop(self) -> None:
        self._stopping.set()
        for sock in self._listeners:
            sock.close()
        with self._lock:
            conns, threads = list(self._open), list(self._threads)
        self._wake.send(b"x")
        for conn in conns:
            if isinstance(conn, socket.socket):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)  # wakes up the thread that holds it
            conn.close()
        for thread in threads:
            thread.join(timeout=5)
        for state in self.devices.values():
            if state.host_key is not None:
                state.dump_running()
        self._wake.close()
        self._woken.close()

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def netmiko_args(self, name: str) -> dict[str, Any]:
        """Keyword arguments for Netmiko's ``ConnectHandler`` to log in to device ``name``."""
        spec = self.devices[name].spec
        host, port = self.addresses[name]
        args: dict[str, Any] = {
            "device_type": spec.vendor,
            "host": host,
            "port": port,
            "username": spec.username,
            "password": spec.password,
        }
        if spec.enable_secret:
            args["secret"] = spec.enable_secret
        return args

    # --- threads -----------------------------------------------------------------------------

    def _spawn(self, target: Any, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _accept_loop(self) -> None:
        selector = selectors.DefaultSelector()
        for sock in [*self._listeners, self._woken]:
            selector.register(sock, selectors.EVENT_READ)
        while not self._stopping.is_set():
            for key, _ in selector.select():
                listener = key.fileobj
                if listener is self._woken:
                    break
                assert isinstance(listener, socket.socket)
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                # echo and answer go out at once, not after the client's delayed ACK
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._spawn(self._serve, self._listeners[listener], conn)
        selector.close()

    def _track(self, conn: socket.socket | paramiko.Transport) -> None:
        with self._lock:
            self._open = {c for c in self._open if _alive(c)} | {conn}

    def _serve(self, state: DeviceState, conn: socket.socket) -> None:
        if state.spec.faults.timeout:
            self._hold(conn)
            return
        transport = paramiko.Transport(conn)
        transport.set_log_channel(SSH_LOG)
        transport.local_version = state.personality.SSH_VERSION
        assert state.host_key is not None
        transport.add_server_key(state.host_key)
        self._track(transport)
        try:  # the transport's own thread serves the connection from now on
            transport.start_server(server=_Server(state, self._start_session))
        except (paramiko.SSHException, EOFError, OSError) as e:
            log.debug("%s: no SSH session: %s", state.spec.name, e)
            transport.close()

    def _hold(self, conn: socket.socket) -> None:
        """The timeout fault: the TCP connection is accepted, the SSH banner never comes."""
        self._track(conn)
        with conn:
            while not self._stopping.is_set():
                try:
                    if not conn.recv(4096):
                        return
                except OSError:
                    return

    def _start_session(
        self, state: DeviceState, channel: paramiko.Channel, command: str | None
    ) -> None:
        self._spawn(self._session, state, channel, command)

    def _session(self, state: DeviceState, channel: paramiko.Channel, command: str | None) -> None:
        """A shell (``command`` None) or one command, as an ``exec`` request asks."""
        transport = channel.get_transport()
        cli = state.login((transport.get_username() if transport else None) or "")
        try:
            if command is None:
                Terminal(channel, cli, delay=state.spec.faults.slow).run()
            else:
                output = cli.handle(command).output
                channel.sendall(output.replace("\n", "\r\n").encode())
                channel.send_exit_status(0)
                # EOF, and the client closes: closing first could beat paramiko's reply to
                # the exec request, which the client would take for a refusal
                channel.shutdown_write()
                while channel.recv(4096):
                    pass
            channel.close()
        except (OSError, EOFError) as e:  # the client hung up
            log.debug("%s: session ended: %s", state.spec.name, e)
        finally:
            if cli.configuring:  # left without `end`: keep the debugging copy current
                state.dump_running()


def _alive(conn: socket.socket | paramiko.Transport) -> bool:
    return conn.is_active() if isinstance(conn, paramiko.Transport) else conn.fileno() != -1


class _Server(paramiko.ServerInterface):
    """Password authentication and session channels (shell with pty, exec) for one device."""

    def __init__(
        self,
        state: DeviceState,
        start_session: Callable[[DeviceState, paramiko.Channel, str | None], None],
    ) -> None:
        self.state = state
        self.start_session = start_session

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_password(self, username: str, password: str) -> int:
        if not self.state.spec.faults.auth_fail and self.state.authenticate(username, password):
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind != "session":
            return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED
        return paramiko.OPEN_SUCCEEDED

    def check_channel_pty_request(self, *args: Any) -> bool:
        return True

    def check_channel_window_change_request(self, *args: Any) -> bool:
        return True

    def check_channel_shell_request(self, channel: paramiko.Channel) -> bool:
        self.start_session(self.state, channel, None)
        return True

    def check_channel_exec_request(self, channel: paramiko.Channel, command: bytes) -> bool:
        self.start_session(self.state, channel, command.decode("utf-8", errors="replace"))
        return True
