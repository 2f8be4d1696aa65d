"""The documents app's models, one module per part: the store (documents and versions, with the
text read from them); links to parties; signing; letters (templates and their blocks, letters,
mass mailings)."""

from .letters import (
    Letter,
    LetterBlock,
    LetterBlockVersion,
    LetterTemplate,
    LetterTemplateVersion,
    Mailing,
    MailingItem,
    MailingItemState,
    MailingState,
)
from .links import PartyDocument
from .signing import (
    OPEN_STATES,
    CertificateKind,
    ProcedureSigner,
    SigningEvent,
    SigningEventKind,
    SigningFunction,
    SigningMethod,
    SigningProcedure,
    SigningRequest,
    SigningState,
    SigningStep,
    StepKind,
    StepState,
    Substitution,
)
from .store import Document, DocumentVersion, TextMethod, TextState

__all__ = [
    "OPEN_STATES",
    "CertificateKind",
    "Document",
    "DocumentVersion",
    "Letter",
    "LetterBlock",
    "LetterBlockVersion",
    "LetterTemplate",
    "LetterTemplateVersion",
    "Mailing",
    "MailingItem",
    "MailingItemState",
    "MailingState",
    "PartyDocument",
    "ProcedureSigner",
    "SigningEvent",
    "SigningEventKind",
    "SigningFunction",
    "SigningMethod",
    "SigningProcedure",
    "SigningRequest",
    "SigningState",
    "SigningStep",
    "StepKind",
    "StepState",
    "Substitution",
    "TextMethod",
    "TextState",
]
