"""Delivery status notifications are recognised, standard (RFC 3464) and not, and what they name
is read: the original Message-ID, the recipient, the status code and the diagnostic."""

from __future__ import annotations

import pytest

from balie.mailboxes.bounces import parse_dsn_bytes

from . import dsn_samples as samples

MID = "<5f1c0a7e9b2d4c3aa1b2c3d4e5f60718.balie@zonnedaal.be>"


@pytest.mark.parametrize(
    ("template", "recipient", "status", "diagnostic_part", "standard"),
    [
        (
            samples.POSTFIX_RFC3464,
            "an.peeters@example.be",
            "5.1.1",
            "User unknown in virtual mailbox table",
            True,
        ),
        (samples.GMAIL_RFC3464, "jan.janssens.onbekend@gmail.com", "5.1.1", "does not exist", True),
        (
            samples.EXCHANGE_TEXT_NDR,
            "piet.pieters@gemeente-buur.be",
            "5.1.1",
            "RESOLVER.ADR.RecipNotFound",
            False,
        ),
        (
            samples.QMAIL_FAILURE,
            "secretariaat@vzw-voorbeeld.be",
            "5.1.1",
            "no mailbox here by that name",
            False,
        ),
        (samples.EXIM_QUOTA, "volle.bus@provider.example", "5.2.2", "Mailbox full", False),
    ],
    ids=["postfix", "gmail", "exchange-text", "qmail", "exim"],
)
def test_a_failure_is_recognised(template, recipient, status, diagnostic_part, standard):
    bounce = parse_dsn_bytes(samples.sample(template, MID))

    assert bounce is not None
    assert bounce.original_message_id == MID
    assert bounce.recipient == recipient
    assert bounce.status == status
    assert diagnostic_part in bounce.diagnostic
    assert bounce.failed
    assert bounce.standard is standard
    assert bounce.reason().startswith(f"Niet afgeleverd aan {recipient} ({status}): ")


def test_a_delay_is_no_failure():
    bounce = parse_dsn_bytes(samples.sample(samples.POSTFIX_DELAY, MID))

    assert bounce is not None
    assert (bounce.action, bounce.failed, bounce.status) == ("delayed", False, "4.4.1")
    assert bounce.original_message_id == MID


def test_an_ordinary_reply_is_no_bounce():
    assert parse_dsn_bytes(samples.sample(samples.ORDINARY_REPLY, MID)) is None
