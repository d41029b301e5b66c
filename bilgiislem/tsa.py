"""A small RFC 3161 time-stamping authority on ``openssl ts -reply``: the lab's and the tests'
stand-in for a licensed provider (Law 5651 seals must be stamped by somebody other than the
log collector, so the lab runs it on its own host).

``make_authority(dir)`` creates a root CA and a TSA certificate (extendedKeyUsage critical
timeStamping) and the openssl configuration; ``serve(dir, host, port)`` answers
``application/timestamp-query`` POSTs. Python standard library plus the ``openssl`` command.

    python3 -m bilgiislem.tsa init DIR
    python3 -m bilgiislem.tsa serve DIR --port 3180
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CONFIG = """\
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = {cn}
[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ tsa_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.5651.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _run(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_authority(directory: Path, name: str = "Bilgi Islem Lab TSA") -> Path:
    """Create (once) the CA and TSA keys and certificates in ``directory``; the CA certificate
    (``ca.pem``) is what verifiers trust."""
    d = directory.resolve()
    d.mkdir(parents=True, exist_ok=True)
    if (d / "tsa.pem").exists():
        return d / "ca.pem"
    cfg = d / "openssl.cnf"
    cfg.write_text(CONFIG.format(cn=f"{name} Root CA", dir=d), encoding="utf-8")
    _run("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", str(d / "ca.key"), "-out", str(d / "ca.pem"), "-days", "3650",
         "-config", str(cfg), "-extensions", "ca_ext")
    tsa_cfg = d / "tsa-req.cnf"
    tsa_cfg.write_text(CONFIG.format(cn=name, dir=d), encoding="utf-8")
    _run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", str(d / "tsa.key"), "-out", str(d / "tsa.csr"), "-config", str(tsa_cfg))
    _run("x509", "-req", "-in", str(d / "tsa.csr"), "-CA", str(d / "ca.pem"),
         "-CAkey", str(d / "ca.key"), "-CAcreateserial", "-out", str(d / "tsa.pem"),
         "-days", "3650", "-extfile", str(cfg), "-extensions", "tsa_ext")
    (d / "serial").write_text("01\n", encoding="ascii")
    for key in ("ca.key", "tsa.key"):
        (d / key).chmod(0o600)
    return d / "ca.pem"


def _ts_config(directory: Path) -> Path:
    """The [tsa] configuration for where the keys are now (a container mounts them elsewhere
    than where they were made)."""
    d = directory.resolve()
    cfg = d / "openssl.cnf"
    text = CONFIG.format(cn="-", dir=d)
    if not cfg.exists() or cfg.read_text(encoding="utf-8") != text:
        cfg.write_text(text, encoding="utf-8")
    return cfg


def reply(directory: Path, query: bytes) -> bytes:
    """One time-stamp reply for a DER query (``openssl ts -reply``)."""
    d = directory.resolve()
    with tempfile.NamedTemporaryFile(suffix=".tsq") as q, \
            tempfile.NamedTemporaryFile(suffix=".tsr") as r:
        q.write(query)
        q.flush()
        subprocess.run(["openssl", "ts", "-reply", "-config", str(d / "openssl.cnf"),
                        "-queryfile", q.name, "-out", r.name],
                       check=True, capture_output=True)
        return Path(r.name).read_bytes()


class _Handler(BaseHTTPRequestHandler):
    directory: Path
    lock = threading.Lock()  # the serial file is read and written by every reply

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.headers.get("Content-Type") != "application/timestamp-query" or not body:
            self.send_error(415, "expected application/timestamp-query")
            return
        try:
            with self.lock:
                out = reply(self.directory, body)
        except subprocess.CalledProcessError:
            self.send_error(400, "bad time-stamp query")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, fmt: str, *args: object) -> None:
        sys.stderr.write(f"tsa: {self.address_string()} {fmt % args}\n")


def server(directory: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    _ts_config(directory)
    handler = type("Handler", (_Handler,), {"directory": directory.resolve()})
    return ThreadingHTTPServer((host, port), handler)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bilgiislem.tsa", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("init")
    p.add_argument("dir", type=Path)
    p = sub.add_parser("serve")
    p.add_argument("dir", type=Path)
    p.add_argument("--host", default="0.0.0.0")
    p.add_argument("--port", type=int, default=3180)
    args = ap.parse_args(argv)
    if args.cmd == "init":
        print(make_authority(args.dir))
        return 0
    make_authority(args.dir)
    srv = server(args.dir, args.host, args.port)
    print(f"tsa: serving on {args.host}:{srv.server_port}", file=sys.stderr, flush=True)
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
