#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) for the tests: each message received is written to DIR as NNNNN.eml, preceded by
X-Envelope-To, X-Authenticated-As and X-Tls lines saying how it arrived. Optional AUTH (--user/--password),
STARTTLS required (--cert/--key), and recipients refused with 550 (--refuse a@x,b@y). Prints 'ready' when listening."""
import argparse
import itertools
import os
import signal
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--dir", required=True)
parser.add_argument("--user")
parser.add_argument("--password")
parser.add_argument("--cert")
parser.add_argument("--key")
parser.add_argument("--refuse", default="")
args = parser.parse_args()
refused = {a.strip().lower() for a in args.refuse.split(",") if a.strip()}
numbers = itertools.count(1)


class Mailbox:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        path = os.path.join(args.dir, "%05d.eml" % next(numbers))
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else ""
        head = "X-Envelope-To: %s\r\nX-Authenticated-As: %s\r\nX-Tls: %s\r\n" % (
            ",".join(envelope.rcpt_tos), login, "yes" if session.ssl else "no")
        with open(path + ".tmp", "wb") as f:
            f.write(head.encode())
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user \
        and auth_data.password.decode() == args.password
    return AuthResult(success=ok, auth_data=auth_data if ok else None)


class LenientSmtp(SMTP):
    # System.Net.Mail sends "AUTH login"; aiosmtpd 1.4.3 only knows "LOGIN", where Postfix and Exchange accept both.
    async def smtp_AUTH(self, arg):
        mechanism, _, rest = (arg or "").partition(" ")
        return await super().smtp_AUTH(mechanism.upper() + (" " + rest if rest else ""))


class LenientController(Controller):
    def factory(self):
        return LenientSmtp(self.handler, **self.SMTP_kwargs)


options = {}
if args.user:
    options.update(authenticator=authenticate, auth_required=True, auth_require_tls=bool(args.cert))
if args.cert:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    options.update(tls_context=context, require_starttls=True)

controller = LenientController(Mailbox(), hostname="127.0.0.1", port=args.port, **options)
controller.start()
print("ready", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
stop.wait()
controller.stop()
