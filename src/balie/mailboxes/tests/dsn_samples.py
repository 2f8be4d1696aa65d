"""Delivery status notifications as mail servers send them (addresses and ids replaced). Each
names the mail it is about by `ORIGINAL` (filled in per test)."""

# ruff: noqa: E501 - the samples keep the lines as the servers wrote them
from __future__ import annotations

ORIGINAL = "{message_id}"

POSTFIX_RFC3464 = """\
Return-Path: <>
Received: by mail.zonnedaal.be (Postfix) id 4Xk2Lq0Vb1z9tFm; Sun, 29 Nov 2026 10:12:03 +0100 (CET)
Date: Sun, 29 Nov 2026 10:12:03 +0100 (CET)
From: MAILER-DAEMON@mail.zonnedaal.be (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: omgeving@zonnedaal.be
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Xk2Lq0Vb1z9tFm.1764407523/mail.zonnedaal.be"
Message-Id: <20261129091203.4Xk2Lq0Vb1z9tFm@mail.zonnedaal.be>

This is a MIME-encapsulated message.

--4Xk2Lq0Vb1z9tFm.1764407523/mail.zonnedaal.be
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.zonnedaal.be.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<an.peeters@example.be>: host mx.example.be[192.0.2.10] said: 550 5.1.1
    <an.peeters@example.be>: Recipient address rejected: User unknown in
    virtual mailbox table (in reply to RCPT TO command)

--4Xk2Lq0Vb1z9tFm.1764407523/mail.zonnedaal.be
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.zonnedaal.be
X-Postfix-Queue-ID: 4Xk2Lq0Vb1z9tFm
X-Postfix-Sender: rfc822; omgeving@zonnedaal.be
Arrival-Date: Sun, 29 Nov 2026 10:12:02 +0100 (CET)

Final-Recipient: rfc822; an.peeters@example.be
Original-Recipient: rfc822;an.peeters@example.be
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.be
Diagnostic-Code: smtp; 550 5.1.1 <an.peeters@example.be>: Recipient address
    rejected: User unknown in virtual mailbox table

--4Xk2Lq0Vb1z9tFm.1764407523/mail.zonnedaal.be
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <omgeving@zonnedaal.be>
From: Dienst Omgeving <omgeving@zonnedaal.be>
To: an.peeters@example.be
Subject: Uw aanvraag [C2026-000001]
Message-ID: {message_id}
Date: Sun, 29 Nov 2026 10:12:00 +0100

--4Xk2Lq0Vb1z9tFm.1764407523/mail.zonnedaal.be--
"""

GMAIL_RFC3464 = """\
Delivered-To: omgeving@zonnedaal.be
Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: omgeving@zonnedaal.be
Auto-Submitted: auto-replied
Subject: Delivery Status Notification (Failure)
References: {message_id}
In-Reply-To: {message_id}
X-Failed-Recipients: jan.janssens.onbekend@gmail.com
Message-ID: <6749a0f3.050a0220.1b8c3e.8a11.GMR@mx.google.com>
Date: Sun, 29 Nov 2026 01:14:27 -0800 (PST)
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000000000c2b8a10627f4a1e2"; report-type=delivery-status

--000000000000c2b8a10627f4a1e2
Content-Type: multipart/related; boundary="000000000000c2b8a20627f4a1e3"

--000000000000c2b8a20627f4a1e3
Content-Type: multipart/alternative; boundary="000000000000c2b8a30627f4a1e4"

--000000000000c2b8a30627f4a1e4
Content-Type: text/plain; charset="UTF-8"


** Address not found **

Your message wasn't delivered to jan.janssens.onbekend@gmail.com because the address couldn't be found, or is unable to receive mail.

Learn more here: https://support.google.com/mail/?p=NoSuchUser

The response was:

The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-7f-sor1234567a12.97 - gsmtp

--000000000000c2b8a30627f4a1e4
Content-Type: text/html; charset="UTF-8"

<html><body><h2>Address not found</h2><p>Your message wasn't delivered to <b>jan.janssens.onbekend@gmail.com</b>.</p></body></html>

--000000000000c2b8a30627f4a1e4--

--000000000000c2b8a20627f4a1e3--

--000000000000c2b8a10627f4a1e2
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; mail.zonnedaal.be
Arrival-Date: Sun, 29 Nov 2026 01:14:26 -0800 (PST)
X-Original-Message-ID: {message_id}

Final-Recipient: rfc822; jan.janssens.onbekend@gmail.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; The email account that you tried to reach does not exist. Please try
 double-checking the recipient's email address for typos or
 unnecessary spaces. For more information, go to
 https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-7f-sor1234567a12.97 - gsmtp
Last-Attempt-Date: Sun, 29 Nov 2026 01:14:27 -0800 (PST)

--000000000000c2b8a10627f4a1e2
Content-Type: message/rfc822

From: Dienst Omgeving <omgeving@zonnedaal.be>
To: jan.janssens.onbekend@gmail.com
Subject: Uw aanvraag
Message-ID: {message_id}
Date: Sun, 29 Nov 2026 10:14:20 +0100
Content-Type: text/plain; charset="utf-8"

Beste,

--000000000000c2b8a10627f4a1e2--
"""

EXCHANGE_TEXT_NDR = """\
From: postmaster@gemeente-buur.be
To: omgeving@zonnedaal.be
Date: Sun, 29 Nov 2026 09:20:11 +0000
Subject: Undeliverable: Uw aanvraag [C2026-000001]
Message-ID: <a1b2c3d4e5f6@EXCH01.gemeente-buur.be>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_000_NDR_EXCH01_"

--_000_NDR_EXCH01_
Content-Type: text/plain; charset="us-ascii"

Delivery has failed to these recipients or groups:

Piet Pieters (piet.pieters@gemeente-buur.be)
The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message. If the problem continues, please contact your helpdesk.

Diagnostic information for administrators:

Generating server: EXCH01.gemeente-buur.be

piet.pieters@gemeente-buur.be
Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'

Original message headers:

Received: from mail.zonnedaal.be (192.0.2.25) by EXCH01.gemeente-buur.be
Subject: Uw aanvraag [C2026-000001]

--_000_NDR_EXCH01_
Content-Type: message/rfc822

From: Dienst Omgeving <omgeving@zonnedaal.be>
To: piet.pieters@gemeente-buur.be
Subject: Uw aanvraag [C2026-000001]
Message-ID: {message_id}
Date: Sun, 29 Nov 2026 10:20:00 +0100

Beste,

--_000_NDR_EXCH01_--
"""

QMAIL_FAILURE = """\
From: MAILER-DAEMON@mail.vzw-voorbeeld.be
To: omgeving@zonnedaal.be
Subject: failure notice
Date: 29 Nov 2026 09:30:00 -0000
Message-ID: <20261129093000.12345.qmail@mail.vzw-voorbeeld.be>

Hi. This is the qmail-send program at mail.vzw-voorbeeld.be.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<secretariaat@vzw-voorbeeld.be>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

Return-Path: <omgeving@zonnedaal.be>
From: Dienst Omgeving <omgeving@zonnedaal.be>
To: secretariaat@vzw-voorbeeld.be
Subject: Uw zaalreservatie
Message-ID: {message_id}

Beste,
"""

EXIM_QUOTA = """\
From: Mail Delivery System <Mailer-Daemon@mx.provider.example>
To: omgeving@zonnedaal.be
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: volle.bus@provider.example
Auto-Submitted: auto-replied
Message-Id: <E1tQ2Ab-0004Xy-9R@mx.provider.example>
Date: Sun, 29 Nov 2026 10:40:00 +0100

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  volle.bus@provider.example
    host mx.provider.example [198.51.100.7]
    SMTP error from remote mail server after RCPT TO:<volle.bus@provider.example>:
    552 5.2.2 Mailbox full

------ This is a copy of the message, including all the headers. ------

From: Dienst Omgeving <omgeving@zonnedaal.be>
To: volle.bus@provider.example
Message-ID: {message_id}
Subject: Uw aanvraag
"""

POSTFIX_DELAY = """\
From: MAILER-DAEMON@mail.zonnedaal.be (Mail Delivery System)
Subject: Delayed Mail (still being retried)
To: omgeving@zonnedaal.be
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="DELAY"

--DELAY
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.zonnedaal.be.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

--DELAY
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.zonnedaal.be

Final-Recipient: rfc822; traag@example.be
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.example.be[192.0.2.10]:25: Connection timed out
Will-Retry-Until: Fri, 4 Dec 2026 10:12:02 +0100 (CET)

--DELAY
Content-Type: text/rfc822-headers

From: Dienst Omgeving <omgeving@zonnedaal.be>
Message-ID: {message_id}

--DELAY--
"""

ORDINARY_REPLY = """\
From: An Peeters <an.peeters@example.be>
To: omgeving+C2026-000001@zonnedaal.be
Subject: Re: Uw aanvraag [C2026-000001]
In-Reply-To: {message_id}
Message-ID: <reply-1@example.be>

Dank u, ik stuur het plan morgen. Het is niet afgeleverd bij de buren, maar dat is 550 meter verder.
"""


def sample(template: str, message_id: str) -> bytes:
    return template.replace("{message_id}", message_id).replace("\n", "\r\n").encode()
