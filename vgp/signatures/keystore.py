"""Private keys at rest: PKCS#8, encrypted with the passphrase ``SIGNATURE_KEY_PASSPHRASE``.

The passphrase comes from the environment (production refuses to start without one); a copy of
the database alone opens no key. Decrypted keys are kept in this process's memory, keyed by
the digest of the encrypted blob, so that signing does not pay the key derivation and OpenSSL's
key checks on every signature (RSA: ~60 ms each). They are never written anywhere in clear,
nor shown.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import KeyAlgorithm

_CACHE_SIZE = 512
_lock = threading.Lock()
_cache: OrderedDict[bytes, PrivateKeyTypes] = OrderedDict()


class KeyUnavailable(Exception):
    """The stored key does not open with the configured passphrase."""


def _passphrase() -> bytes:
    phrase = getattr(settings, "SIGNATURE_KEY_PASSPHRASE", "")
    if not phrase:
        raise ImproperlyConfigured("SIGNATURE_KEY_PASSPHRASE is not set.")
    return phrase.encode()


def generate(algorithm: str) -> PrivateKeyTypes:
    if algorithm == KeyAlgorithm.EC_P256:
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == KeyAlgorithm.RSA_2048:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if algorithm == KeyAlgorithm.RSA_3072:
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    raise ValueError(f"unknown key algorithm {algorithm!r}")


def algorithm_of(key: PrivateKeyTypes) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1":
        return KeyAlgorithm.EC_P256
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size in (2048, 3072):
        return f"rsa-{key.key_size}"
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size > 3072:
        return f"rsa-{key.key_size}"
    raise ValueError("only ECDSA P-256 and RSA keys of 2048 bits or more are accepted")


def seal(key: PrivateKeyTypes) -> bytes:
    """The key as encrypted PKCS#8 DER (AES-256 with a PBKDF2-derived key)."""
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    )


def open_key(blob: bytes) -> PrivateKeyTypes:
    """The key sealed in ``blob``, decrypted once per process."""
    digest = hashlib.sha256(blob).digest()
    with _lock:
        key = _cache.get(digest)
        if key is not None:
            _cache.move_to_end(digest)
            return key
    try:
        key = serialization.load_der_private_key(bytes(blob), password=_passphrase())
    except (ValueError, TypeError) as error:
        raise KeyUnavailable(
            "the private key does not open with SIGNATURE_KEY_PASSPHRASE"
        ) from error
    with _lock:
        _cache[digest] = key
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return key


def forget(blob: bytes) -> None:
    """Drop a key from memory (its certificate was revoked)."""
    with _lock:
        _cache.pop(hashlib.sha256(blob).digest(), None)
