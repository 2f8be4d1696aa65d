"""The documents app's models, one module per part: the store (documents and versions); letters
(templates and their blocks) and signing add their own modules and are imported here."""

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
from .store import Document, DocumentVersion

__all__ = [
    "OPEN_STATES",
    "CertificateKind",
    "Document",
    "DocumentVersion",
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
]
