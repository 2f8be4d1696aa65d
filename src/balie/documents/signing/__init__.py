"""Approval and digital signing of PDF documents.

- `procedures`: signing procedures, functions and substitutions (Beheer › Ondertekening);
- `actions`: asking for signatures, approving, refusing, signing, withdrawing;
- `rules`: whose turn it is; `queries`: what a user sees and what waits for them;
- `pades`: PAdES signatures and their validation with pyHanko; `credentials`: the certificates;
- `platform`: the external signing platform through the outbox, and its callback;
- `certificates` and `demo`: certificates made for the demo and the tests.
"""
