"""The line discipline of an interactive session: echo, editing keys, Enter, Ctrl+Z.

Network devices echo what is typed themselves (the client's pty is raw), so Netmiko waits for
that echo before it reads a command's output. Typed-ahead lines are handled one after the other,
each echoed only when the previous one has been answered, as on a real device.
"""

from __future__ import annotations

import codecs
import contextlib
import socket
import struct
import time

import paramiko

from bilgiislem.netsim.cli import CliSession, Reply

_BACKSPACE = ("\x7f", "\x08")
_CTRL_C = "\x03"
_CTRL_Z = "\x1a"
_ESC = "\x1b"


class Terminal:
    """Runs one interactive session: characters in, echo and the CLI's answers out."""

    def __init__(self, channel: paramiko.Channel, cli: CliSession, *, delay: float) -> None:
        self.channel = channel
        self.cli = cli
        self.delay = delay  # the "slow" fault
        self._line: list[str] = []
        self._out: list[str] = []
        self._after_cr = False
        self._escape = ""

    def run(self) -> None:
        """Serve the session until the user leaves, or the connection closes (the client went
        away, the simulator stopped)."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        if not self._answer(Reply(self.cli.banner())):
            return
        while True:
            try:
                data = self.channel.recv(4096)
            except OSError:
                return
            if not data:
                return
            for char in decoder.decode(data):
                if not self._key(char):
                    return
            self._flush()

    def _key(self, char: str) -> bool:
        """Handle one typed character; False once the session is over."""
        after_cr, self._after_cr = self._after_cr, char == "\r"
        if self._escape or char == _ESC:  # cursor keys and the like: ignored
            self._escape += char
            if len(self._escape) > 1 and (char.isalpha() or char == "~"):
                self._escape = ""
            return True
        if char == "\n" and after_cr:
            return True
        if char in "\r\n":
            line = "".join(self._line)
            self._line.clear()
            self._write("\r\n")
            return self._answer(self.cli.handle(line))
        if char in _BACKSPACE:
            if self._line:
                self._line.pop()
                self._write("\b \b" if self.cli.echo else "")
        elif char == _CTRL_Z:
            self._line.clear()
            self._write("^Z\r\n")
            return self._answer(self.cli.ctrl_z())
        elif char == _CTRL_C:
            self._line.clear()
            self._write("^C\r\n")
            return self._answer(Reply())
        elif char >= " ":
            self._line.append(char)
            if self.cli.echo:
                self._write(char)
        return True

    def _answer(self, reply: Reply) -> bool:
        if reply.drop:
            self._flush()
            self._drop()
            return False
        if self.delay:
            self._flush()  # the echo comes at once, the answer late
            time.sleep(self.delay)
        text = reply.output if reply.close else reply.output + self.cli.prompt()
        self._write(text.replace("\n", "\r\n"))
        self._flush()
        if reply.close:
            with contextlib.suppress(OSError, EOFError):  # the client may be gone already
                self.channel.send_exit_status(0)
        return not reply.close

    def _write(self, text: str) -> None:
        self._out.append(text)

    def _flush(self) -> None:
        if self._out:
            data = "".join(self._out).encode()
            self._out.clear()
            with contextlib.suppress(OSError, EOFError):  # the client went away; recv() sees it
                self.channel.sendall(data)

    def _drop(self) -> None:
        """Cut the TCP connection at once (RST, no SSH goodbye), like a device that crashed."""
        transport = self.channel.get_transport()
        if transport is None:
            return
        sock = transport.sock
        if isinstance(sock, socket.socket):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.close()
