"""A throw-away certificate authority, so the egress proxy can read what Chromium sends over TLS.

The proxy must see every request and response in the clear to cap decoded sizes and to log
what it refused, so it ends Chromium's TLS itself with a certificate made here for the host
Chromium asked for. Only the browser contexts that the proxy serves accept it (they run with
``ignore_https_errors``); the proxy's own connection to the real server verifies the real
certificate. The key lives in memory and in a private temporary folder removed on close;
a new authority is made for every proxy, so no certificate outlives the crawl.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import os
import shutil
import ssl
import tempfile
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_VALID = _dt.timedelta(days=2)
_MAX_HOSTS = 2048  # certificates kept; a crawl of many sites makes new ones as needed


class LocalAuthority:
    """Issues a TLS server context per host name, signed by a key made for this process."""

    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        now = _dt.datetime.now(_dt.UTC)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xktracker egress guard")])
        self._name = name
        self._cert = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _dt.timedelta(hours=1))
            .not_valid_after(now + _VALID)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(self._key, hashes.SHA256())
        )
        self._leaf_key = ec.generate_private_key(ec.SECP256R1())
        self._dir = Path(tempfile.mkdtemp(prefix="xk-egress-"))
        os.chmod(self._dir, 0o700)
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    def context_for(self, host: str) -> ssl.SSLContext:
        """A server-side TLS context presenting a certificate for ``host`` (cached)."""
        host = host.lower().rstrip(".")
        with self._lock:
            found = self._contexts.get(host)
            if found is not None:
                return found
            if len(self._contexts) >= _MAX_HOSTS:
                self._contexts.clear()
            context = self._make_context(host)
            self._contexts[host] = context
            return context

    def _make_context(self, host: str) -> ssl.SSLContext:
        now = _dt.datetime.now(_dt.UTC)
        try:
            alt: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
        except ValueError:
            alt = x509.DNSName(host)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host[:64])]))
            .issuer_name(self._name)
            .public_key(self._leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _dt.timedelta(hours=1))
            .not_valid_after(now + _VALID)
            .add_extension(x509.SubjectAlternativeName([alt]), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        # ssl can only load a chain from files: one file per host, in the private folder.
        path = self._dir / f"{len(self._contexts)}-{abs(hash(host))}.pem"
        pem = (cert.public_bytes(serialization.Encoding.PEM)
               + self._cert.public_bytes(serialization.Encoding.PEM)
               + self._leaf_key.private_bytes(serialization.Encoding.PEM,
                                              serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.set_alpn_protocols(["http/1.1"])  # the proxy speaks HTTP/1.1 only
        context.load_cert_chain(path)
        path.unlink()
        return context

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)
