"""What a verification's codes mean, in plain words (translated; ETSI EN 319 102-1 names).

The codes stay as the standard names them (``OUT_OF_BOUNDS_NO_POE``), so that a clerk can
compare our answer with another validator's (EU DSS, Adobe); the words say what they mean for
the person holding the file.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The overall answer, as the page's headline says it.
VERDICT_TITLES: dict[str, Promise] = {
    "valid": pgettext_lazy("signature verdict", "Valid"),
    "invalid": pgettext_lazy("signature verdict", "Invalid"),
    "indeterminate": pgettext_lazy("signature verdict", "Cannot be confirmed"),
}

#: One sentence under the headline.
VERDICT_SUMMARIES: dict[str, Promise] = {
    "valid": _(
        "Every signature in the file is intact and was made with a certificate that leads to a "
        "root certificate this service trusts, valid at the time of the check."
    ),
    "invalid": _(
        "At least one signature in the file is broken: the file was changed after signing, the "
        "signature does not match its certificate, or the certificate was revoked."
    ),
    "indeterminate": _(
        "Nothing shows that a signature is broken, but the checks could not confirm that every "
        "signature is valid. The reasons are given for each signature below."
    ),
}

NO_SIGNATURE = _(
    "The file holds no electronic signature: there is nothing in it to check. A scanned "
    "signature or stamp on the page is a picture, not an electronic signature."
)

#: Each ETSI sub-indication (and FORMAT_FAILURE, which also names signatures we cannot read).
SUB_INDICATIONS: dict[str, Promise] = {
    # FAILED
    "FORMAT_FAILURE": _(
        "The signature is not built as the PDF signature standards require, so it cannot be "
        "checked."
    ),
    "HASH_FAILURE": _(
        "The document was changed after it was signed: the signed content no longer matches "
        "the signature."
    ),
    "SIG_CRYPTO_FAILURE": _(
        "The signature value does not match the signer's certificate: it was not made with that "
        "certificate's key, or it was damaged."
    ),
    "REVOKED": _(
        "The signer's certificate was revoked, and nothing proves that the signature was made "
        "before the revocation."
    ),
    "NOT_YET_VALID": _("The signer's certificate was not yet valid when the signature was made."),
    # INDETERMINATE
    "SIG_CONSTRAINTS_FAILURE": _(
        "The signature does not meet the conditions set for it (for example, those of its "
        "signature field)."
    ),
    "CHAIN_CONSTRAINTS_FAILURE": _(
        "A certificate in the chain does not allow this use (for example, it is not meant for "
        "signing documents)."
    ),
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": _(
        "The chain of certificates could not be validated: a certificate authority in it is "
        "expired, revoked or not valid at the time of the check."
    ),
    "CRYPTO_CONSTRAINTS_FAILURE": _(
        "The signature uses an algorithm or a key size that is no longer considered secure."
    ),
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": _(
        "The signature uses an algorithm that is no longer considered secure, and no trusted "
        "time-stamp proves that it was made while the algorithm was still considered secure."
    ),
    "EXPIRED": _("The signer's certificate had expired when the signature was made."),
    "POLICY_PROCESSING_ERROR": _("The signature policy named in the signature could not be read."),
    "SIGNATURE_POLICY_NOT_AVAILABLE": _("The signature policy named in the signature is unknown."),
    "TIMESTAMP_ORDER_FAILURE": _("The time-stamps of the signature are not in a possible order."),
    "NO_SIGNING_CERTIFICATE_FOUND": _("The signer's certificate is missing from the signature."),
    "NO_CERTIFICATE_CHAIN_FOUND": _(
        "The signer's certificate does not lead to a root certificate that this service trusts. "
        "The signature may be genuine, but who made it cannot be confirmed."
    ),
    "REVOKED_NO_POE": _(
        "The signer's certificate was revoked, and no trusted time-stamp proves that the "
        "signature was made before the revocation."
    ),
    "REVOKED_CA_NO_POE": _(
        "A certificate authority in the signer's chain was revoked, and no trusted time-stamp "
        "proves that the signature was made before the revocation."
    ),
    "OUT_OF_BOUNDS_NO_POE": _(
        "At the time of the check the signer's certificate had expired or was not yet valid, and "
        "no trusted time-stamp proves that the signature was made while the certificate was "
        "valid."
    ),
    "OUT_OF_BOUNDS_NOT_REVOKED": _(
        "The signer's certificate has expired. It was not revoked, but nothing proves that the "
        "signature was made while it was valid."
    ),
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": _(
        "The revocation information in the file was issued outside the certificate's validity, "
        "and nothing proves when it existed."
    ),
    "NO_POE": _(
        "Nothing in the file proves that the signature, its certificates and their revocation "
        "information existed while the certificate was valid: a time-stamp alone is not enough "
        "once the certificate has expired; the file lacks long-term validation data (PAdES "
        "B-LTA)."
    ),
    "TRY_LATER": _(
        "The revocation information in the file is not recent enough to decide; a later check, "
        "with newer information, may decide."
    ),
    "SIGNED_DATA_NOT_FOUND": _("The signed content could not be found."),
    "GENERIC": _("The signature could not be validated."),
}

GENERIC = SUB_INDICATIONS["GENERIC"]

#: What the document's changes after signing were (pyHanko's modification levels).
MODIFICATIONS: dict[str, Promise] = {
    "none": _("None: the signature covers the whole file."),
    "lta_updates": _(
        "Only validation data and time-stamps were added (long-term preservation of signatures)."
    ),
    "form_filling": _("Form fields were filled in or further signatures added."),
    "annotations": _("Comments or other annotations were added."),
    "other": _("Other changes were made, which may alter what the document shows."),
}

#: What a certifying signature allows (DocMDP).
CERTIFICATION: dict[str, Promise] = {
    "no_changes": _("no changes at all"),
    "form_filling": _("filling in forms and signing"),
    "annotations": _("filling in forms, signing and adding comments"),
}

#: Whether the signer's certificate was revoked, as far as the file shows.
REVOCATION: dict[str, Promise] = {
    "good": _("Not revoked, according to revocation information carried in the file."),
    "revoked": _("Revoked."),
    "unknown": _(
        "Not checked: the file carries no revocation information for this certificate, and this "
        "service never looks anything up on the Internet."
    ),
}

#: Coverage of the signed byte range.
COVERAGE: dict[str, Promise] = {
    "entire_file": _("the whole file"),
    "entire_revision": _("the whole document as it was when signed; changes were added after it"),
    "partial": _("only part of the document as it was when signed"),
    "unclear": _("an unusual part of the file, not the whole document as it was when signed"),
}


def sub_indication_text(code: str | None) -> Promise:
    return SUB_INDICATIONS.get(code or "", GENERIC)
