"""Letters from Word templates: the merge-field catalogue (fields.py), the check of an uploaded
template (checks.py), the merge context (context.py), merging and PDF (render.py), the QR code that
ties a paper copy to its letter (qr.py), the template administration (admin.py), letters
(actions.py), mass mailings (mailing.py) and reads (queries.py)."""
