"""MAGDA, Flanders' data-exchange platform: SOAP messages (`messages`), the transport over mutual
TLS (`transport`), message signing (`signing`), the client (`client`) and a demo service that
speaks the same protocol on loopback (`demo`).

Nothing here writes to the database: every call goes through
`balie.authentic_sources.consultations.consult`, which checks the purpose and logs the call.
"""
