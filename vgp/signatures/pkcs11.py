"""Signing with keys held in an HSM or a token, through PKCS#11.

A private key made on the token (``generate_key``) is sensitive and not extractable: it never
leaves the device, not even encrypted, so neither a copy of the database nor of the server's
memory carries it. The server hashes the document itself and only asks the token to sign the
few hundred bytes that carry that digest (``open_signer``); our CA certifies the public key the token hands back, and the
certificates stay in the database.

Settings: ``SIGNATURE_PKCS11_MODULE`` (path of the vendor's PKCS#11 library, empty: not
configured), ``SIGNATURE_PKCS11_TOKEN_LABEL`` and ``SIGNATURE_PKCS11_PIN`` (from the
environment in production; never logged, never put in a message).

A PKCS#11 login belongs to the whole process, not to one session, and closing a session logs
the process out: the token is used by one thread of a process at a time.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pkcs11 as p11
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core import checks
from pkcs11 import Attribute, KeyType, MechanismFlag, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters
from pkcs11.util.rsa import encode_rsa_public_key
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.pkcs11 import PKCS11Signer, find_token, open_pkcs11_session
from pyhanko.sign.signers import Signer

__all__ = ["Pkcs11Error", "check_pkcs11", "configured", "generate_key", "open_signer"]

# key algorithm (as in models.KeyAlgorithm) -> (key type, RSA modulus bits or EC curve)
_ALGORITHMS: dict[str, tuple[KeyType, int | str]] = {
    "ec-p256": (KeyType.EC, "secp256r1"),
    "rsa-2048": (KeyType.RSA, 2048),
    "rsa-3072": (KeyType.RSA, 3072),
}
_PIN_REFUSED = (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange, p11.PinExpired)

# See the module's docstring: one user of the token per process at a time.
_token_lock = threading.RLock()


class Pkcs11Error(Exception):
    """The token could not be used; the message says why, in English, without the PIN."""


def _module() -> str:
    return str(getattr(settings, "SIGNATURE_PKCS11_MODULE", "") or "")


def _token_label() -> str:
    return str(getattr(settings, "SIGNATURE_PKCS11_TOKEN_LABEL", "") or "")


def configured() -> bool:
    return bool(_module())


@contextmanager
def _session(*, rw: bool = False) -> Iterator[p11.Session]:
    """A logged-in session on the configured token, closed (and logged out) afterwards."""
    module, label = _module(), _token_label()
    if not module:
        raise Pkcs11Error("PKCS#11 signing is not configured (SIGNATURE_PKCS11_MODULE is empty).")
    if not Path(module).is_file():
        raise Pkcs11Error(f"The PKCS#11 module {module} does not exist.")
    pin = str(getattr(settings, "SIGNATURE_PKCS11_PIN", "") or "") or None
    criteria = TokenCriteria(label=label) if label else None
    with _token_lock:
        try:
            lib = p11.lib(module)
        except Exception as error:  # the loader raises RuntimeError, OSError, ...
            raise Pkcs11Error(f"The PKCS#11 module {module} could not be loaded.") from error
        try:
            if rw:
                # pyHanko's helper opens read-only sessions; find the token the same way.
                token = find_token(lib.get_slots(), token_criteria=criteria)
                if token is None:
                    raise Pkcs11Error(_no_token(module, label))
                session = token.open(rw=True, user_pin=pin)
            else:
                session = open_pkcs11_session(module, token_criteria=criteria, user_pin=pin)
        except (p11.NoSuchToken, p11.MultipleTokensReturned) as error:
            raise Pkcs11Error(_no_token(module, label)) from error
        except _PIN_REFUSED as error:
            raise Pkcs11Error(f"The token {label!r} refused the PIN.") from error
        except p11.PinLocked as error:
            raise Pkcs11Error(f"The PIN of the token {label!r} is locked.") from error
        except p11.UserAlreadyLoggedIn as error:
            raise Pkcs11Error(
                f"This process is already logged in to the token {label!r} elsewhere "
                "(a PKCS#11 login is per process: one user of the token at a time)."
            ) from error
        except p11.PKCS11Error as error:
            # pyHanko raises a bare PKCS11Error when no token (or more than one) matches.
            if str(error).startswith(("No token", "Module has more than 1 slot")):
                raise Pkcs11Error(_no_token(module, label)) from error
            raise Pkcs11Error(
                f"Could not open a session on the token {label!r} "
                f"({type(error).__name__}: {error})."
            ) from error
        try:
            yield session
        except p11.PKCS11Error as error:
            raise Pkcs11Error(
                f"The token {label!r} failed ({type(error).__name__}: {error})."
            ) from error
        finally:
            with suppress(p11.PKCS11Error):  # the token is gone: nothing left to release
                session.close()


def _no_token(module: str, label: str) -> str:
    if label:
        return f"No token labelled {label!r} was found in the PKCS#11 module {module}."
    return (
        f"No single token was found in the PKCS#11 module {module}; "
        "set SIGNATURE_PKCS11_TOKEN_LABEL."
    )


def _public_key_info(public_key: p11.PublicKey) -> asn1_keys.PublicKeyInfo:
    if public_key.key_type == KeyType.EC:
        return asn1_keys.PublicKeyInfo.load(encode_ec_public_key(public_key))
    if public_key.key_type == KeyType.RSA:
        rsa_key = asn1_keys.RSAPublicKey.load(encode_rsa_public_key(public_key))
        return asn1_keys.PublicKeyInfo.wrap(rsa_key, "rsa")
    raise Pkcs11Error(f"Unsupported key type {public_key.key_type!r} on the token.")


def _private_key(session: p11.Session, key_label: str) -> p11.PrivateKey:
    try:
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=key_label)
    except p11.NoSuchKey as error:
        raise Pkcs11Error(
            f"The token {_token_label()!r} has no private key labelled {key_label!r}."
        ) from error
    except p11.MultipleObjectsReturned as error:
        raise Pkcs11Error(
            f"The token {_token_label()!r} has more than one private key labelled {key_label!r}."
        ) from error
    assert isinstance(key, p11.PrivateKey)
    return key


@contextmanager
def open_signer(
    *,
    key_label: str,
    certificate: asn1_x509.Certificate,
    other_certs: list[asn1_x509.Certificate],
) -> Iterator[Signer]:
    """A pyHanko signer whose key is the token's key ``key_label`` and whose certificate (and
    chain) are those given; the session is closed when the block ends."""
    with _session() as session:
        private_key = _private_key(session, key_label)
        if not private_key[Attribute.SIGN]:
            raise Pkcs11Error(f"The key {key_label!r} on the token may not sign.")
        _check_matches(session, key_label, certificate)
        signer = PKCS11Signer(
            session,
            key_label=key_label,
            signing_cert=certificate,
            ca_chain=other_certs,
            other_certs_to_pull=(),  # nothing from the token: the certificates are ours
            # SoftHSM and many HSMs lack the hash-and-sign ECDSA mechanisms (CKM_ECDSA_SHA256):
            # hash here, let the token sign the digest with plain CKM_ECDSA.
            use_raw_mechanism=certificate.public_key.algorithm == "ec",
        )
        yield signer


def _check_matches(
    session: p11.Session, key_label: str, certificate: asn1_x509.Certificate
) -> None:
    """Refuse a certificate for another key, where the token keeps the public half too
    (a wrong pair would only show as invalid signatures)."""
    try:
        public_key = session.get_key(object_class=ObjectClass.PUBLIC_KEY, label=key_label)
    except (p11.NoSuchKey, p11.MultipleObjectsReturned):
        return
    assert isinstance(public_key, p11.PublicKey)
    if _public_key_info(public_key).dump() != certificate.public_key.dump():
        raise Pkcs11Error(
            f"The certificate given is not for the key {key_label!r} on the token "
            f"(certificate serial {certificate.serial_number})."
        )


def generate_key(*, key_label: str, algorithm: str = "ec-p256") -> asn1_keys.PublicKeyInfo:
    """Make a key pair on the token, its private key sensitive and not extractable, and give
    back its public key for our CA to certify. ``algorithm``: ``ec-p256``, ``rsa-2048`` or
    ``rsa-3072``."""
    if not key_label:
        raise Pkcs11Error("A key needs a label.")
    try:
        key_type, size = _ALGORITHMS[algorithm]
    except KeyError:
        raise Pkcs11Error(f"Unknown key algorithm {algorithm!r}.") from None
    private_template: dict[Attribute, Any] = {
        Attribute.TOKEN: True,
        Attribute.PRIVATE: True,
        Attribute.SENSITIVE: True,
        Attribute.EXTRACTABLE: False,
    }
    options: dict[str, Any] = {
        "id": secrets.token_bytes(16),  # links the two halves (and a certificate, if stored)
        "label": key_label,
        "store": True,
        "capabilities": MechanismFlag.SIGN | MechanismFlag.VERIFY,
        "private_template": private_template,
    }
    with _session(rw=True) as session:
        if next(iter(session.get_objects({Attribute.LABEL: key_label})), None) is not None:
            raise Pkcs11Error(f"The token already has an object labelled {key_label!r}.")
        if key_type == KeyType.EC:
            assert isinstance(size, str)
            parameters = session.create_domain_parameters(
                KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters(size)}, local=True
            )
            public_key, _ = parameters.generate_keypair(**options)
        else:
            assert isinstance(size, int)
            public_key, _ = session.generate_keypair(key_type, size, **options)
        return _public_key_info(public_key)


@checks.register(checks.Tags.security)
def check_pkcs11(**kwargs: Any) -> list[checks.CheckMessage]:
    module = _module()
    if module and not Path(module).is_file():
        return [
            checks.Error(
                f"SIGNATURE_PKCS11_MODULE: the PKCS#11 module {module} does not exist.",
                hint="Install the token's PKCS#11 library or correct the path.",
                id="signatures.E010",
            )
        ]
    return []
