"""Balie's one settings module: every knob is an environment variable (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent  # src/balie
PROJECT_DIR = BASE_DIR.parent.parent

env = environ.Env()
if (PROJECT_DIR / ".env").exists():
    env.read_env(str(PROJECT_DIR / ".env"))

DEBUG = env.bool("BALIE_DEBUG", default=False)
# The default is for the demo and tests only; `check --deploy` flags it (prefix django-insecure-).
SECRET_KEY = env.str("BALIE_SECRET_KEY", default="django-insecure-demo-key-change-me-" + "x" * 40)
ALLOWED_HOSTS = env.list("BALIE_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("BALIE_CSRF_TRUSTED_ORIGINS", default=[])
DATA_DIR = Path(env.str("BALIE_DATA_DIR", default=str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Production hardening: on unless explicitly relaxed for local http (the demo).
SECURE = env.bool("BALIE_SECURE", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env.bool("BALIE_SSL_REDIRECT", default=SECURE)
SECURE_HSTS_SECONDS = env.int("BALIE_HSTS_SECONDS", default=31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health/?$"]
SESSION_COOKIE_AGE = env.int("BALIE_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' own Swagger UI files, not a CDN's
    # Balie, top row first (see docs/architecture.md)
    "balie.portal",
    "balie.backoffice",
    "balie.api",
    "balie.mailboxes",
    "balie.complaints",
    "balie.reports",
    "balie.reservations",
    "balie.digital_skills",
    "balie.contact_moments",
    "balie.correspondence",
    "balie.cases",
    "balie.documents",
    "balie.authentic_sources",
    "balie.payments",
    "balie.room_access",
    "balie.parties",
    "balie.accounts",
    "balie.audit",
    "balie.core",
]

MIDDLEWARE = [
    "balie.core.logging.RequestLogMiddleware",  # outermost: logs every request, without query string
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "balie.conf.urls"
WSGI_APPLICATION = "balie.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Database: embedded SQLite (WAL, IMMEDIATE transactions) unless DATABASE_URL is set.
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'balie.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file too, so that concurrency is tested as it runs (WAL, IMMEDIATE); one per
    # test run (process), so that two runs side by side never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("BALIE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Choice lists iterate querysets; a server-side cursor costs a round trip each (and breaks
    # behind a transaction-pooling pgbouncer).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "backoffice:login"

# Lockout after repeated failed logins (django-axes), per username.
AXES_FAILURE_LIMIT = env.int("BALIE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("BALIE_LOGIN_COOLOFF_HOURS", default=0.25)
# Per username and address: a guesser is stopped without letting anyone lock out a colleague.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "backoffice/locked_out.html"
AXES_VERBOSE = False

# Background jobs: Django Tasks API with the database backend.
TASKS = {
    "default": {
        "BACKEND": env.str("BALIE_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Internationalisation: Dutch (Belgium) first.
LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", "Nederlands"), ("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Documents (balie.documents): the filesystem under MEDIA_ROOT by default, which no URL of
    # Balie serves (downloads go through a view that checks who asks); an S3-compatible object
    # store by naming its backend and options, e.g. BALIE_DOCUMENT_STORAGE=
    # storages.backends.s3.S3Storage with BALIE_DOCUMENT_STORAGE_OPTIONS={"bucket_name": "balie"}.
    "documents": {
        "BACKEND": env.str("BALIE_DOCUMENT_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json(
            "BALIE_DOCUMENT_STORAGE_OPTIONS",
            default={"file_permissions_mode": 0o640, "directory_permissions_mode": 0o750},
        ),
    },
    "staticfiles": {
        "BACKEND": env.str(
            "BALIE_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# Balie's own settings.
BALIE_MUNICIPALITY_NAME = env.str("BALIE_MUNICIPALITY_NAME", default="Gemeente Zonnedaal")
# Accept MAGDA test national numbers (month 61-72) only in test mode.
BALIE_ACCEPT_TEST_NUMBERS = env.bool("BALIE_ACCEPT_TEST_NUMBERS", default=False)
BALIE_API_PAGE_SIZE = env.int("BALIE_API_PAGE_SIZE", default=50)
# Addresses: accept the demo's fictional postcodes (2645 Zonnedaal, 2646 Heikant): demo and tests only.
BALIE_FICTIONAL_POSTCODES = env.bool("BALIE_FICTIONAL_POSTCODES", default=False)
# The Flemish address register (Basisregisters Vlaanderen API); empty: the demo service on this
# machine at BALIE_ADDRESS_REGISTER_DEMO_PORT (`balie demo` starts it); off: none. Timeout in seconds.
BALIE_ADDRESS_REGISTER_URL = env.str("BALIE_ADDRESS_REGISTER_URL", default="")
BALIE_ADDRESS_REGISTER_API_KEY = env.str("BALIE_ADDRESS_REGISTER_API_KEY", default="")
BALIE_ADDRESS_REGISTER_TIMEOUT = env.float("BALIE_ADDRESS_REGISTER_TIMEOUT", default=5.0)
BALIE_ADDRESS_REGISTER_DEMO_PORT = env.int("BALIE_ADDRESS_REGISTER_DEMO_PORT", default=8091)
# MAGDA (Rijksregister, KBO): the base URL (empty: the demo service on loopback, started in the
# process that needs it; `balie demo` runs one for all its processes; "off": not connected), the
# client certificate, its key and the CA bundle for mutual TLS, the municipality's identification
# at MAGDA (its KBO number or OVO code), the time-out (s), and an optional message signer of its
# own (a dotted path to sign(envelope: bytes) -> bytes; it wins over the signing key below).
BALIE_MAGDA_URL = env.str("BALIE_MAGDA_URL", default="")
BALIE_MAGDA_CERT = env.str("BALIE_MAGDA_CERT", default="")
BALIE_MAGDA_KEY = env.str("BALIE_MAGDA_KEY", default="")
BALIE_MAGDA_CA = env.str("BALIE_MAGDA_CA", default="")
BALIE_MAGDA_SENDER_ID = env.str("BALIE_MAGDA_SENDER_ID", default="0212645081")
BALIE_MAGDA_TIMEOUT = env.float("BALIE_MAGDA_TIMEOUT", default=10.0)
BALIE_MAGDA_SIGNER = env.str("BALIE_MAGDA_SIGNER", default="")
# WS-Security: the RSA key (PEM, optionally with a password) and certificate Balie signs its MAGDA
# messages with (may be the TLS client pair; empty: unsigned), and MAGDA's signing certificate(s)
# (PEM) its answers are checked against (empty: answers are not checked).
BALIE_MAGDA_SIGN_KEY = env.str("BALIE_MAGDA_SIGN_KEY", default="")
BALIE_MAGDA_SIGN_CERT = env.str("BALIE_MAGDA_SIGN_CERT", default="")
BALIE_MAGDA_SIGN_KEY_PASSWORD = env.str("BALIE_MAGDA_SIGN_KEY_PASSWORD", default="")
BALIE_MAGDA_SERVER_CERT = env.str("BALIE_MAGDA_SERVER_CERT", default="")
# The weekly refresh of persons from the Rijksregister: the capacity code of the legal purpose it
# runs under (empty: no scheduled refresh), and at most how many persons one run refreshes.
BALIE_MAGDA_REFRESH_CAPACITY = env.str("BALIE_MAGDA_REFRESH_CAPACITY", default="")
BALIE_MAGDA_REFRESH_LIMIT = env.int("BALIE_MAGDA_REFRESH_LIMIT", default=200)
# Documents: the largest file accepted, and the types accepted, as read from the content.
BALIE_DOCUMENT_MAX_BYTES = env.int("BALIE_DOCUMENT_MAX_BYTES", default=25 * 1024 * 1024)
BALIE_DOCUMENT_TYPES = env.list(
    "BALIE_DOCUMENT_TYPES",
    default=[
        "application/pdf",
        "image/tiff",
        "image/png",
        "image/jpeg",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "text/plain",
        "message/rfc822",
        "application/vnd.ms-outlook",
    ],
)
# The text of every stored version is read in the background (balie.documents.text): OCR with
# Tesseract in these languages, PDF pages rendered at this resolution, each page within a time
# limit (s), with this many threads per Tesseract; a version is tried this many times when the
# worker reading it dies.
BALIE_OCR_LANGUAGES = env.str("BALIE_OCR_LANGUAGES", default="nld+fra+eng")
BALIE_OCR_DPI = env.int("BALIE_OCR_DPI", default=300)
BALIE_OCR_PAGE_TIMEOUT = env.float("BALIE_OCR_PAGE_TIMEOUT", default=180.0)
BALIE_OCR_THREADS = env.int("BALIE_OCR_THREADS", default=1)
BALIE_TEXT_MAX_ATTEMPTS = env.int("BALIE_TEXT_MAX_ATTEMPTS", default=3)

# Signing (documents.signing): the municipality's certificate as a PKCS#12 (a path, or the file in
# base64) and its password; a directory of employees' own certificates (<username>.p12, their
# password typed when they sign); root certificates (PEM files) signatures are trusted against; a
# timestamp server (RFC 3161) for PAdES B-T (empty: B-B); the external signing platform (empty:
# the demo on loopback; off: none), its API key and time-out (s); the address at which the
# platform calls Balie back (e.g. https://balie.example.be).
BALIE_SIGNING_PKCS12 = env.str("BALIE_SIGNING_PKCS12", default="")
BALIE_SIGNING_PKCS12_BASE64 = env.str("BALIE_SIGNING_PKCS12_BASE64", default="")
BALIE_SIGNING_PKCS12_PASSWORD = env.str("BALIE_SIGNING_PKCS12_PASSWORD", default="")
BALIE_SIGNING_PERSONAL_DIR = env.str("BALIE_SIGNING_PERSONAL_DIR", default="")
BALIE_SIGNING_TRUST_ROOTS = env.list("BALIE_SIGNING_TRUST_ROOTS", default=[])
BALIE_SIGNING_TSA_URL = env.str("BALIE_SIGNING_TSA_URL", default="")
BALIE_SIGNING_TSA_TIMEOUT = env.float("BALIE_SIGNING_TSA_TIMEOUT", default=10.0)
BALIE_SIGNING_PLATFORM_URL = env.str("BALIE_SIGNING_PLATFORM_URL", default="")
BALIE_SIGNING_PLATFORM_API_KEY = env.str("BALIE_SIGNING_PLATFORM_API_KEY", default="")
BALIE_SIGNING_PLATFORM_TIMEOUT = env.float("BALIE_SIGNING_PLATFORM_TIMEOUT", default=30.0)
BALIE_SIGNING_CALLBACK_URL = env.str("BALIE_SIGNING_CALLBACK_URL", default="")

# Post register (balie.correspondence): the working days an addressed department has to answer an
# incoming item (from the day it was received), and the resolution (dpi) batch scans are read at
# to find the separator sheets and blank pages.
BALIE_POST_ANSWER_WORKING_DAYS = env.int("BALIE_POST_ANSWER_WORKING_DAYS", default=15)
BALIE_POST_SCAN_DPI = env.int("BALIE_POST_SCAN_DPI", default=100)
# Dispatch of outgoing post (balie.correspondence.dispatch): printed post comes out of the post
# room's batches printed on both sides (each letter then starts on an odd page) or not.
BALIE_PRINT_DUPLEX = env.bool("BALIE_PRINT_DUPLEX", default=True)
# The eBox (federal document-sender REST API): its base URL (empty: the demo eBox on this machine at
# BALIE_EBOX_DEMO_PORT, which `balie demo` starts; "off": no eBox channel), the OAuth2 token URL
# (empty: <url>/oauth2/token), client id, secret and scope, the municipality's enterprise number as
# sender, its sender application id and message type, and the time-out (s).
BALIE_EBOX_URL = env.str("BALIE_EBOX_URL", default="")
BALIE_EBOX_TOKEN_URL = env.str("BALIE_EBOX_TOKEN_URL", default="")
BALIE_EBOX_CLIENT_ID = env.str("BALIE_EBOX_CLIENT_ID", default="balie-demo")
BALIE_EBOX_CLIENT_SECRET = env.str("BALIE_EBOX_CLIENT_SECRET", default="demo-ebox-geheim")
BALIE_EBOX_SCOPE = env.str("BALIE_EBOX_SCOPE", default="")
BALIE_EBOX_SENDER_ENTERPRISE_NUMBER = env.str("BALIE_EBOX_SENDER_ENTERPRISE_NUMBER", default="0212645081")
BALIE_EBOX_SENDER_APPLICATION_ID = env.str("BALIE_EBOX_SENDER_APPLICATION_ID", default="balie.zonnedaal.be")
BALIE_EBOX_MESSAGE_TYPE_ID = env.str("BALIE_EBOX_MESSAGE_TYPE_ID", default="GemeentelijkeBrief")
BALIE_EBOX_TIMEOUT = env.float("BALIE_EBOX_TIMEOUT", default=30.0)
BALIE_EBOX_DEMO_PORT = env.int("BALIE_EBOX_DEMO_PORT", default=8093)

# The e-loket (balie.portal). Login with the Flemish government login (ACM/IDM, OpenID Connect):
# the issuer (https://authenticatie.vlaanderen.be/op; empty: the demo provider that `balie demo`
# starts on BALIE_PORTAL_OIDC_DEMO_PORT; "off": no eID login), client id and secret, scopes. The
# department that receives what citizens ask online, and how long a citizen's session lasts (s).
BALIE_PORTAL_OIDC_ISSUER = env.str("BALIE_PORTAL_OIDC_ISSUER", default="")
BALIE_PORTAL_OIDC_CLIENT_ID = env.str("BALIE_PORTAL_OIDC_CLIENT_ID", default="")
BALIE_PORTAL_OIDC_CLIENT_SECRET = env.str("BALIE_PORTAL_OIDC_CLIENT_SECRET", default="")
BALIE_PORTAL_OIDC_SCOPES = env.str("BALIE_PORTAL_OIDC_SCOPES", default="openid profile rrn vo")
BALIE_PORTAL_OIDC_DEMO_PORT = env.int("BALIE_PORTAL_OIDC_DEMO_PORT", default=8099)
BALIE_PORTAL_DEPARTMENT = env.str("BALIE_PORTAL_DEPARTMENT", default="burgerzaken")
# The e-loket's public address, for links in mails (e.g. https://www.zonnedaal.be/e-loket/).
BALIE_PORTAL_URL = env.str("BALIE_PORTAL_URL", default="")
BALIE_PORTAL_SESSION_SECONDS = env.int("BALIE_PORTAL_SESSION_SECONDS", default=30 * 60)
# Abuse limits of the e-loket's forms, per hour: accounts made from one address, questions asked
# by one citizen (logins are limited by django-axes, as in the back-office).
BALIE_PORTAL_REGISTRATIONS_PER_HOUR = env.int("BALIE_PORTAL_REGISTRATIONS_PER_HOUR", default=5)
BALIE_PORTAL_QUESTIONS_PER_HOUR = env.int("BALIE_PORTAL_QUESTIONS_PER_HOUR", default=10)

# Letters (balie.documents.letters): the municipality as letters show it (merge fields
# gemeente.*): postal address (lines separated by "|"), website, phone, e-mail, and a logo (a PNG
# or JPEG file; empty: none).
BALIE_MUNICIPALITY_ADDRESS = env.str("BALIE_MUNICIPALITY_ADDRESS", default="Gemeenteplein 1|2645 Zonnedaal")
BALIE_MUNICIPALITY_WEBSITE = env.str("BALIE_MUNICIPALITY_WEBSITE", default="www.zonnedaal.be")
BALIE_MUNICIPALITY_PHONE = env.str("BALIE_MUNICIPALITY_PHONE", default="03 123 45 67")
BALIE_MUNICIPALITY_EMAIL = env.str("BALIE_MUNICIPALITY_EMAIL", default="info@zonnedaal.be")
BALIE_MUNICIPALITY_LOGO = env.str("BALIE_MUNICIPALITY_LOGO", default="")
# LibreOffice for DOCX -> PDF(/A), kept running per process (documents/conversion.py): the system
# Python that has python3-uno, LibreOffice's soffice.bin, seconds a conversion may take, seconds to
# start, seconds idle before it is closed, and conversions before it is restarted.
BALIE_LIBREOFFICE_PYTHON = env.str("BALIE_LIBREOFFICE_PYTHON", default="/usr/bin/python3")
BALIE_LIBREOFFICE_SOFFICE = env.str(
    "BALIE_LIBREOFFICE_SOFFICE", default="/usr/lib/libreoffice/program/soffice.bin"
)
BALIE_LIBREOFFICE_TIMEOUT = env.float("BALIE_LIBREOFFICE_TIMEOUT", default=60.0)
BALIE_LIBREOFFICE_STARTUP_TIMEOUT = env.float("BALIE_LIBREOFFICE_STARTUP_TIMEOUT", default=60.0)
BALIE_LIBREOFFICE_IDLE_SECONDS = env.float("BALIE_LIBREOFFICE_IDLE_SECONDS", default=600.0)
BALIE_LIBREOFFICE_RECYCLE_AFTER = env.int("BALIE_LIBREOFFICE_RECYCLE_AFTER", default=2000)

# Outgoing mail: an SMTP server (smtp://user:password@host:587 with ?tls or +ssl), or
# consolemail:// to print mails instead of sending them.
vars().update(env.email_url("BALIE_EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("BALIE_FROM_EMAIL", default="Gemeente Zonnedaal <info@zonnedaal.be>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Mail out (balie.mailboxes): how mails from functional mailboxes leave, "smtp" (Django's mail
# backend above) or "graph" (Microsoft Graph sendMail; a mailbox may choose for itself), the most
# their attachments may weigh together, and Graph's address, token URL (empty: Microsoft's for the
# tenant), the app registration's client id and secret, and a time-out in seconds.
BALIE_MAIL_TRANSPORT = env.str("BALIE_MAIL_TRANSPORT", default="smtp")
BALIE_MAIL_MAX_BYTES = env.int("BALIE_MAIL_MAX_BYTES", default=20 * 1024 * 1024)
BALIE_GRAPH_URL = env.str("BALIE_GRAPH_URL", default="https://graph.microsoft.com")
BALIE_GRAPH_TOKEN_URL = env.str("BALIE_GRAPH_TOKEN_URL", default="")
BALIE_GRAPH_TENANT = env.str("BALIE_GRAPH_TENANT", default="")
BALIE_GRAPH_CLIENT_ID = env.str("BALIE_GRAPH_CLIENT_ID", default="")
BALIE_GRAPH_CLIENT_SECRET = env.str("BALIE_GRAPH_CLIENT_SECRET", default="")
BALIE_GRAPH_TIMEOUT = env.float("BALIE_GRAPH_TIMEOUT", default=30.0)

# The outbox (messages to other systems): attempts before a message is marked failed (about 5.5 h
# with the backoff of 30 s doubling up to 1 h), and how long a webhook receiver may take (s).
BALIE_OUTBOX_MAX_ATTEMPTS = env.int("BALIE_OUTBOX_MAX_ATTEMPTS", default=12)
BALIE_WEBHOOK_TIMEOUT = env.float("BALIE_WEBHOOK_TIMEOUT", default=10.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "balie.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env.str("BALIE_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Door access (room_access): the margins around a grant's window (minutes), the key that encrypts
# PINs (any string; empty: derived from the secret key; changing it makes stored PINs unreadable),
# how often controllers are reconciled (minutes), the controller time-out (s), and the demo door
# controller that `balie demo` starts (it sets its URL and key; empty: one per process on first use).
BALIE_ACCESS_MARGIN_BEFORE_MINUTES = env.int("BALIE_ACCESS_MARGIN_BEFORE_MINUTES", default=15)
BALIE_ACCESS_MARGIN_AFTER_MINUTES = env.int("BALIE_ACCESS_MARGIN_AFTER_MINUTES", default=15)
BALIE_ACCESS_PIN_KEY = env.str("BALIE_ACCESS_PIN_KEY", default="")
BALIE_ACCESS_RECONCILE_MINUTES = env.int("BALIE_ACCESS_RECONCILE_MINUTES", default=15)
BALIE_DOOR_CONTROLLER_TIMEOUT = env.float("BALIE_DOOR_CONTROLLER_TIMEOUT", default=10.0)
BALIE_DOOR_DEMO_URL = env.str("BALIE_DOOR_DEMO_URL", default="")
BALIE_DOOR_DEMO_API_KEY = env.str("BALIE_DOOR_DEMO_API_KEY", default="")
BALIE_DOOR_DEMO_PORT = env.int("BALIE_DOOR_DEMO_PORT", default=8097)
# Complaints (balie.complaints): the numbers of the municipality's complaint reglement. Calendar days
# to acknowledge (and decide admissibility), calendar days to answer from receipt, the days of the one
# extension, how old (in days) the facts may be, the days before a deadline the coordinator and the
# investigator are warned, whether the answer names the Flemish ombudsman (second line), and the
# code of the complaint case type.
BALIE_COMPLAINT_ACKNOWLEDGE_DAYS = env.int("BALIE_COMPLAINT_ACKNOWLEDGE_DAYS", default=10)
BALIE_COMPLAINT_ANSWER_DAYS = env.int("BALIE_COMPLAINT_ANSWER_DAYS", default=45)
BALIE_COMPLAINT_EXTENSION_DAYS = env.int("BALIE_COMPLAINT_EXTENSION_DAYS", default=45)
BALIE_COMPLAINT_FACTS_LIMIT_DAYS = env.int("BALIE_COMPLAINT_FACTS_LIMIT_DAYS", default=365)
BALIE_COMPLAINT_WARNING_DAYS = env.int("BALIE_COMPLAINT_WARNING_DAYS", default=5)
BALIE_COMPLAINT_MENTION_OMBUDSMAN = env.bool("BALIE_COMPLAINT_MENTION_OMBUDSMAN", default=True)
BALIE_COMPLAINT_CASE_TYPE = env.str("BALIE_COMPLAINT_CASE_TYPE", default="klacht")

# Payments (balie.payments): the municipality as payee of transfers (invoice, EPC QR code); the
# online payment provider (empty URL: the demo provider on loopback at BALIE_PAYMENT_DEMO_PORT,
# which `balie demo` starts); the webhook secret it signs with; Balie's address as the provider
# reaches it (for the webhook).
BALIE_PAYEE_NAME = env.str("BALIE_PAYEE_NAME", default="Gemeente Zonnedaal")
BALIE_PAYEE_IBAN = env.str("BALIE_PAYEE_IBAN", default="BE71096123456769")
BALIE_PAYEE_BIC = env.str("BALIE_PAYEE_BIC", default="GKCCBEBB")
BALIE_PAYMENT_PROVIDER_URL = env.str("BALIE_PAYMENT_PROVIDER_URL", default="")
BALIE_PAYMENT_PROVIDER_API_KEY = env.str("BALIE_PAYMENT_PROVIDER_API_KEY", default="demo-psp-sleutel")
BALIE_PAYMENT_PROVIDER_TIMEOUT = env.float("BALIE_PAYMENT_PROVIDER_TIMEOUT", default=15.0)
BALIE_PAYMENT_WEBHOOK_SECRET = env.str("BALIE_PAYMENT_WEBHOOK_SECRET", default="demo-psp-webhookgeheim")
BALIE_PAYMENT_WEBHOOK_BASE_URL = env.str("BALIE_PAYMENT_WEBHOOK_BASE_URL", default="http://127.0.0.1:8000")
BALIE_PAYMENT_DEMO_PORT = env.int("BALIE_PAYMENT_DEMO_PORT", default=8094)
# Room reservation (reservations app): how long an option holds a slot when the room sets none;
# Microsoft Graph publication to room mailboxes ("off": not published; the demo runs on loopback).
BALIE_ROOM_OPTION_HOURS = env.int("BALIE_ROOM_OPTION_HOURS", default=72)
BALIE_ROOM_GRAPH_URL = env.str("BALIE_ROOM_GRAPH_URL", default="off")
BALIE_ROOM_GRAPH_TOKEN_URL = env.str("BALIE_ROOM_GRAPH_TOKEN_URL", default="")
BALIE_ROOM_GRAPH_CLIENT_ID = env.str("BALIE_ROOM_GRAPH_CLIENT_ID", default="")
BALIE_ROOM_GRAPH_CLIENT_SECRET = env.str("BALIE_ROOM_GRAPH_CLIENT_SECRET", default="")
# Digicheck: an aggregate (heat map cell, participation, a month's progress) over fewer people than
# this is not shown, so no one's individual result can be read from the figures.
BALIE_DIGICHECK_MIN_GROUP = env.int("BALIE_DIGICHECK_MIN_GROUP", default=5)
# --- Mail in (balie.mailboxes): how often every mailbox is read (s; one that is down waits
# longer, up to 30 min), and the IMAP time-out (s).
BALIE_MAIL_POLL_SECONDS = env.int("BALIE_MAIL_POLL_SECONDS", default=60)
BALIE_MAIL_IMAP_TIMEOUT = env.float("BALIE_MAIL_IMAP_TIMEOUT", default=30.0)
# `balie watch_mail` reads the mailboxes continuously (IMAP IDLE where the server offers it); with
# it running, set this so that the worker's scheduled poll leaves the mailboxes to it.
BALIE_MAIL_WATCH = env.bool("BALIE_MAIL_WATCH", default=False)
# IMAP with OAuth2 (Microsoft 365): the app registration's client-credentials grant.
BALIE_MAIL_OAUTH_TOKEN_URL = env.str("BALIE_MAIL_OAUTH_TOKEN_URL", default="")
BALIE_MAIL_OAUTH_CLIENT_ID = env.str("BALIE_MAIL_OAUTH_CLIENT_ID", default="")
BALIE_MAIL_OAUTH_SCOPE = env.str("BALIE_MAIL_OAUTH_SCOPE", default="https://outlook.office365.com/.default")
# --- Reports (meldingen) ------------------------------------------------------------------------
# The municipality's boundary: a polygon of [lat, lon] points (WGS84); a report outside is refused.
# The default is the demo's Gemeente Zonnedaal.
BALIE_REPORTS_BOUNDARY = env.json(
    "BALIE_REPORTS_BOUNDARY",
    default=[
        [51.160, 4.560],
        [51.160, 4.660],
        [51.195, 4.690],
        [51.225, 4.660],
        [51.225, 4.560],
        [51.195, 4.530],
    ],
)
# Nearby duplicates: open reports of the same category within this many metres are shown.
BALIE_REPORTS_NEARBY_METRES = env.float("BALIE_REPORTS_NEARBY_METRES", default=50.0)
# Photos: largest upload (bytes), longest side after resizing (pixels).
BALIE_REPORTS_PHOTO_MAX_BYTES = env.int("BALIE_REPORTS_PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
BALIE_REPORTS_PHOTO_MAX_SIDE = env.int("BALIE_REPORTS_PHOTO_MAX_SIDE", default=1600)
# The map's tile URL (Leaflet) and its attribution.
BALIE_REPORTS_TILE_URL = env.str(
    "BALIE_REPORTS_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
BALIE_REPORTS_TILE_ATTRIBUTION = env.str(
    "BALIE_REPORTS_TILE_ATTRIBUTION", default="© OpenStreetMap-bijdragers"
)
# The work-order system of the technical services: "webhook" (generic REST) or "open311", its
# address (empty: the demo work-order system on loopback, started by `balie demo`; "off": none),
# its API key, the secret that signs its status callbacks, and Balie's callback address as it
# reaches it. A callback older than BALIE_REPORTS_CALLBACK_MAX_AGE seconds is refused.
BALIE_REPORTS_WORK_ORDER_ADAPTER = env.str("BALIE_REPORTS_WORK_ORDER_ADAPTER", default="webhook")
BALIE_REPORTS_WORK_ORDER_URL = env.str("BALIE_REPORTS_WORK_ORDER_URL", default="")
BALIE_REPORTS_WORK_ORDER_API_KEY = env.str("BALIE_REPORTS_WORK_ORDER_API_KEY", default="")
BALIE_REPORTS_WORK_ORDER_TIMEOUT = env.float("BALIE_REPORTS_WORK_ORDER_TIMEOUT", default=10.0)
BALIE_REPORTS_CALLBACK_SECRET = env.str("BALIE_REPORTS_CALLBACK_SECRET", default="")
BALIE_REPORTS_CALLBACK_URL = env.str("BALIE_REPORTS_CALLBACK_URL", default="")
BALIE_REPORTS_CALLBACK_MAX_AGE = env.int("BALIE_REPORTS_CALLBACK_MAX_AGE", default=300)
# Open311 GeoReport v2: the jurisdiction this server answers for.
BALIE_OPEN311_JURISDICTION = env.str("BALIE_OPEN311_JURISDICTION", default="zonnedaal.be")
# Room booking, moving a booking (rooms-board): "never" keeps the price frozen at booking; "unpaid"
# re-prices a moved booking (new lines, a new order) while nothing has been paid on it.
BALIE_ROOM_REPRICE_ON_MOVE = env.str("BALIE_ROOM_REPRICE_ON_MOVE", default="never")
# Room booking at the e-loket: a person whose residence has one of these postcodes books at the
# resident's tariff (customer category "resident"), anyone else at the non-resident's.
BALIE_RESIDENT_POSTCODES = env.list("BALIE_RESIDENT_POSTCODES", default=["2645", "2646"])
