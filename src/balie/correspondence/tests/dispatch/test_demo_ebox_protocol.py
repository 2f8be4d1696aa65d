"""The demo eBox speaks the document sender's protocol and checks what a real eBox checks: the
token, the multipart body, the recipient's INSZ or enterprise number (check digits), PDF for a
citizen, one main document, and the idempotency key (409 on a repeat)."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

import pytest

from balie.correspondence.adapters.ebox import EboxFile, multipart_body

from ..samples import letter_pdf
from .helpers import INSZ

PDF = letter_pdf("Gemeente Zonnedaal", "Test")


def _token(ebox, secret="demo-ebox-geheim"):  # noqa: S107
    basic = base64.b64encode(f"balie-demo:{secret}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the demo on loopback
        f"{ebox.url}/oauth2/token",
        data=b"grant_type=client_credentials",
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    return _call(request)


def _call(request):
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")


def _meta(**changes):
    meta = {
        "recipient": {"eboxType": "citizen", "ssin": INSZ},
        "sender": {"eboxType": "enterprise", "enterpriseNumber": "0212645081"},
        "subject": {"nl": "Uw aanvraag"},
        "senderApplicationId": "balie.zonnedaal.be",
        "messageTypeId": "GemeentelijkeBrief",
        "attachments": [{"httpPartName": "upfile1", "isMainContent": True, "isAttachmentSigned": False}],
        "isReplyAuthorized": False,
    }
    meta.update(changes)
    return meta


def _publish(ebox, meta, files=None, *, key="8e03978e-40d5-43e8-bc93-6894a57f9324", token=None):
    token = token or _token(ebox)[1]["access_token"]
    files = files if files is not None else [("upfile1", EboxFile("brief.pdf", "application/pdf", PDF))]
    body, content_type = multipart_body(meta, files)
    headers = {"Content-Type": content_type, "Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = f'"{key}"'
    return _call(urllib.request.Request(f"{ebox.url}/ebox/messages", data=body, headers=headers))  # noqa: S310


def test_a_valid_message_is_published_and_a_repeat_with_its_key_is_a_conflict(demo_ebox):
    status, answer = _publish(demo_ebox, _meta())
    assert status == 201
    assert [m.id for m in demo_ebox.messages] == [answer["id"]]

    status, problem = _publish(demo_ebox, _meta(subject={"nl": "Iets anders"}))

    assert (status, problem["status"], problem["title"]) == (409, 409, "Conflict")
    assert len(demo_ebox.messages) == 1


def test_tokens_need_the_right_client_and_messages_need_a_token(demo_ebox):
    assert _token(demo_ebox, secret="fout") == (401, {"error": "invalid_client"})
    status, problem = _publish(demo_ebox, _meta(), token="verzonnen")
    assert (status, problem["detail"]) == (401, "A valid bearer token is needed.")
    assert demo_ebox.messages == []


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        (
            {"recipient": {"eboxType": "citizen", "ssin": "85073003329"}},
            "'recipient.ssin' is not a valid SSIN",
        ),
        ({"recipient": {"eboxType": "citizen"}}, "'recipient.ssin' is missing."),
        (
            {"recipient": {"eboxType": "enterprise", "enterpriseNumber": "0431150351"}},
            "'recipient.enterpriseNumber' is not a valid enterprise number",
        ),
        (
            {"sender": {"eboxType": "enterprise", "enterpriseNumber": "0123456789"}},
            "'sender.enterpriseNumber'",
        ),
        ({"subject": {"en": "Your request"}}, "'subject' needs a non-empty text in nl, fr or de"),
        ({"messageTypeId": ""}, "'messageTypeId' is missing."),
        ({"attachments": []}, "'attachments' must name at least one document."),
        (
            {"attachments": [{"httpPartName": "upfile2", "isMainContent": True}]},
            "The attachment 'upfile2' has no part of that name.",
        ),
        (
            {"attachments": [{"httpPartName": "upfile1", "isMainContent": False}]},
            "Exactly one attachment is the main content.",
        ),
    ],
)
def test_a_wrong_message_is_refused_with_what_is_wrong(demo_ebox, changes, detail):
    status, problem = _publish(demo_ebox, _meta(**changes))

    assert status == 400
    assert problem["detail"].startswith(detail)
    assert demo_ebox.messages == []


def test_a_citizen_gets_pdf_only_and_every_part_must_be_named(demo_ebox):
    docx = EboxFile(
        "brief.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"
    )
    status, problem = _publish(demo_ebox, _meta(), [("upfile1", docx)])
    assert (status, problem["detail"]) == (
        400,
        "The part 'upfile1' is not a PDF; a citizen's eBox shows PDF documents only.",
    )

    extra = [
        ("upfile1", EboxFile("a.pdf", "application/pdf", PDF)),
        ("upfile9", EboxFile("b.pdf", "application/pdf", PDF)),
    ]
    status, problem = _publish(demo_ebox, _meta(), extra)
    assert (status, problem["detail"]) == (400, "The parts ['upfile9'] are not named in 'attachments'.")
    assert demo_ebox.messages == []


def test_a_file_name_outside_latin_1_arrives_whole(demo_ebox):
    name = "beslissing Œuvre ĳzer.pdf"
    status, _answer = _publish(demo_ebox, _meta(), [("upfile1", EboxFile(name, "application/pdf", PDF))])

    assert status == 201
    assert demo_ebox.messages[0].files[0].filename == name
