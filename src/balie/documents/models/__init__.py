"""The documents app's models, one module per part: the store (documents and versions, with the
text read from them); links to parties; signing; letters (templates and their blocks) add their
own module and are imported here."""

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
