"""The portal's seal on what it publishes (issue 7, point 5): gazette issues, reply letters.

Domains call :func:`sign_publication` with the bytes they are about to store; it seals them with
the organisation's seal when :class:`~.models.PublicationSigningSettings` says so for that kind,
and records what it did (:class:`~.models.PublicationSignature`, keyed by the fingerprint of
the bytes it returns) so that pages can say "signed electronically by …" without opening the
file. The signature itself is audited by ``signing.sign_pdf`` (actor: the system).

Publishing never fails because of the seal: with signing off, with no usable seal yet (logged
at INFO: a normal state while an organisation waits for its certificate) or when signing fails
for any other reason (logged at ERROR with the traceback, and recorded as ``failed`` with the
reason), the data come back unchanged and the caller publishes them unsigned. An official
publication that must appear on its date is worth more unsigned than late; its page then simply
does not claim a signature, and the administrators see why (log, audit, admin).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vgp.agencies.models import Agency

from . import actions, signing
from .models import (
    PublicationKind,
    PublicationSignature,
    PublicationSigningSettings,
    SealOutcome,
)

logger = logging.getLogger(__name__)

# Top right of the first page, in fractions of the page: clear of the gazette's masthead and of
# the reply letter's header, which both leave that corner empty.
APPEARANCE_BOX = (0.52, 0.905, 0.95, 0.975)


def settings_for(kind: str) -> tuple[bool, str]:
    """(sign?, level) for ``kind`` from the site-wide setting (created with defaults)."""
    return PublicationSigningSettings.load().rule_for(kind)


def _appearance(agency: Agency) -> signing.Appearance:
    now = timezone.localtime(timezone.now()).isoformat(timespec="seconds")
    # Printed in the installation's language, like the rest of the published file.
    with translation.override(settings.LANGUAGE_CODE):
        lines = (
            _("Organisation: %(agency)s") % {"agency": agency.name_vi},
            _("Signed at: %(time)s") % {"time": now},
        )
    return signing.Appearance(box=APPEARANCE_BOX, page=0, lines=lines, align="left", border=True)


def _record(
    kind: str,
    data: bytes,
    agency: Agency,
    outcome: str,
    *,
    purpose: str,
    certificate: Any = None,
    level: str = "",
    detail: str = "",
) -> None:
    PublicationSignature.objects.create(
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        agency=agency,
        outcome=outcome,
        certificate=certificate,
        level=level,
        purpose=purpose[:300],
        detail=detail,
        created_at=timezone.now(),
    )


def sign_publication(kind: str, data: bytes, *, agency: Agency, purpose: str) -> tuple[bytes, bool]:
    """``data`` sealed by ``agency`` per the setting for ``kind``, and whether it was.

    Returns ``(data, False)`` unchanged when signing is off for ``kind``, when ``agency`` has no
    usable seal, or when the signature fails (see the module's docstring). Call it inside the
    publishing transaction: what it records rolls back with the publication.
    """
    kind = PublicationKind(kind)
    wanted, level = settings_for(kind)
    if not wanted:
        _record(kind, data, agency, SealOutcome.OFF, purpose=purpose)
        return data, False
    seal = actions.current_seal(agency)
    if seal is None:
        logger.info(
            "%s not signed: %s (%s) has no usable seal certificate yet.",
            kind.value,
            agency.name_vi,
            agency.code,
        )
        _record(kind, data, agency, SealOutcome.NO_SEAL, purpose=purpose)
        return data, False
    try:
        # A savepoint: whatever the signing wrote (its audit record, a new CRL) goes if it fails,
        # and the publishing transaction carries on.
        with transaction.atomic():
            signed = signing.sign_pdf(
                None,
                data,
                certificate=seal,
                level=level,
                appearance=_appearance(agency),
                reason=purpose,
                purpose=purpose,
            )
    except Exception as error:  # publishing goes on unsigned, whatever broke (see above)
        logger.exception(
            "%s published unsigned: sealing with certificate %s of %s (%s) failed.",
            kind.value,
            seal.serial,
            agency.name_vi,
            agency.code,
        )
        _record(
            kind,
            data,
            agency,
            SealOutcome.FAILED,
            purpose=purpose,
            certificate=seal,
            level=level,
            detail=f"{type(error).__name__}: {error}"[:2000],
        )
        return data, False
    _record(
        kind, signed, agency, SealOutcome.SIGNED, purpose=purpose, certificate=seal, level=level
    )
    return signed, True


def signature_of(kind: str, sha256: str) -> PublicationSignature | None:
    """What :func:`sign_publication` did with the published file of this fingerprint (the
    latest record), or None for a file published before sealing existed."""
    if not sha256:
        return None
    return (
        PublicationSignature.objects.select_related("agency")
        .filter(kind=kind, sha256=sha256)
        .order_by("-created_at", "-id")
        .first()
    )
