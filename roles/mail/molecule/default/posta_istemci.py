#!/usr/bin/python3
"""A mail client for the Molecule verify: SMTP (port 25) and IMAPS with Python's own libraries.

    posta_istemci.py gonder SERVER FROM TO SUBJECT [--eicar]
    posta_istemci.py oku SERVER USER [FOLDER]      (password in $POSTA_PAROLA)

Prints one JSON object: for gonder the SMTP reply to RCPT/DATA, for oku whether the login
worked, the folders and the subjects in FOLDER (default INBOX).
"""

from __future__ import annotations

import base64
import email
import imaplib
import json
import os
import smtplib
import ssl
import sys
from email.message import EmailMessage

# The EICAR antivirus test string, base64-encoded so no scanner flags this file.
EICAR = base64.b64decode("WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElW"
                         "SVJVUy1URVNULUZJTEUhJEgrSCo=").decode()


def send(server: str, sender: str, to: str, subject: str, eicar: bool) -> dict:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg.set_content("Molecule test iletisi.\n")
    if eicar:
        msg.add_attachment(EICAR.encode(), maintype="application", subtype="octet-stream",
                           filename="eicar.com")
    try:
        with smtplib.SMTP(server, 25, timeout=60) as smtp:
            smtp.ehlo("dc1.ad.ornekkoy.bel.tr")
            smtp.send_message(msg)
        return {"ok": True, "code": 250, "message": ""}
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        return {"ok": False, "code": code, "message": text.decode(errors="replace")}
    except smtplib.SMTPResponseException as exc:
        return {"ok": False, "code": exc.smtp_code,
                "message": exc.smtp_error.decode(errors="replace")}


def read(server: str, user: str, folder: str) -> dict:
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE  # the host's self-signed cert
    with imaplib.IMAP4_SSL(server, 993, ssl_context=ctx, timeout=60) as imap:
        try:
            imap.login(user, os.environ["POSTA_PAROLA"])
        except imaplib.IMAP4.error as exc:
            return {"login": False, "error": str(exc)}
        _, listing = imap.list()
        folders = sorted(line.decode().rsplit(' "/" ', 1)[-1].strip('"') for line in listing)
        imap.select(f'"{folder}"', readonly=True)
        _, data = imap.search(None, "ALL")
        subjects = []
        for num in data[0].split():
            _, parts = imap.fetch(num, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            subjects.append(str(email.message_from_bytes(parts[0][1])["Subject"]))
        return {"login": True, "folders": folders, "subjects": sorted(subjects)}


def main() -> int:
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "gonder":
        result = send(*args[:4], eicar="--eicar" in args)
    else:
        result = read(args[0], args[1], args[2] if len(args) > 2 else "INBOX")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
