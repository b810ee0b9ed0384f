"""Settings for Tiếp Dân, read from environment variables.

Embedded defaults (no variable set): SQLite under ``var/``, local file storage, in-memory channel
layer, Huey on SQLite.  A bad value fails at start with a clear message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tiepdan.core.client_address import parse_networks
from tiepdan.media.stun import parse_address
from tiepdan.media.turn import default_urls
from tiepdan.ops import installation
from tiepdan.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = installation.var_dir()


def _env(name: str, default: str | None = None) -> str | None:
    """Read ``NAME`` or the file named by ``NAME_FILE`` (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def _secret_key() -> str:
    key = _env("SECRET_KEY")
    if key:
        return key
    # Embedded mode: the key `tiepdan init` generated beside the data (never made at import).
    path = installation.secret_key_path()
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"No SECRET_KEY and no {path}: run `tiepdan init` (make run and make test do) "
            "or set SECRET_KEY / SECRET_KEY_FILE"
        ) from None


DEBUG = _env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in (_env("ALLOWED_HOSTS") or "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in (_env("CSRF_TRUSTED_ORIGINS") or "").split(",") if o.strip()
]
# The public address of every absolute link (mail, SMS, documents): tiepdan.core.public_urls.
# Unset, `tiepdan serve` (and so `make run PORT=N`) sets it for its children from --host/--port.
SITE_URL_CONFIGURED = bool(_env("SITE_URL"))
SITE_URL = (_env("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}")


def _trusted_proxies() -> list[str]:
    values = [v.strip() for v in (_env("TRUSTED_PROXIES") or "").split(",") if v.strip()]
    try:
        parse_networks(values)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list IP addresses or networks (10.0.0.0/8): {exc}") from exc
    return values


# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or networks,
# comma separated).  None by default: the embedded server faces browsers directly and any such
# header is a client's own claim.  See tiepdan.core.client_address.
TRUSTED_PROXIES = _trusted_proxies()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",  # its templates and static files: Swagger UI served locally, not from a CDN
    "huey.contrib.djhuey",
    "channels",
    "tiepdan.core",
    "tiepdan.workdays",
    "tiepdan.intake",
    "tiepdan.notify",
    "tiepdan.documents",
    "tiepdan.hearings",
    "tiepdan.intake.register",
    "tiepdan.reports",
    "tiepdan.media",
    "tiepdan.minutes",
    "tiepdan.followup",
    "tiepdan.demo",
    "tiepdan.ops",  # `tiepdan serve`
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics answered before host checks, HTTPS redirect and sessions.
    "tiepdan.ops.probes.ProbesMiddleware",
    # Request id (logs, jobs) and the request metrics by route.
    "tiepdan.ops.request_context.RequestContextMiddleware",
    "tiepdan.core.middleware.ApiJsonErrorsMiddleware",
    "tiepdan.core.client_address.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "tiepdan.core.browser_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tiepdan.core.session_limits.StaffSessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tiepdan.urls"
ASGI_APPLICATION = "tiepdan.asgi.application"
WSGI_APPLICATION = "tiepdan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Worker threads per web process for HTTP requests (tiepdan.core.sync_http): a request holds one
# from its first byte read to its last byte sent, so a slow download holds one too.
HTTP_THREADS = _env_int("HTTP_THREADS", 32)
if HTTP_THREADS < 1:
    raise ImproperlyConfigured("HTTP_THREADS must be at least 1")

_default_db = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
# Persistent connections leak under ASGI (each request's sync code runs on a new thread, so a
# kept connection is never reused: 71 idle connections at 10 clients, then "too many clients").
# PostgreSQL uses psycopg's connection pool instead; DB_CONN_MAX_AGE is refused with it.
DB_CONN_MAX_AGE = _env_int("DB_CONN_MAX_AGE", 0)
DB_POOL = _env_bool("DB_POOL", True)
DB_POOL_MIN = _env_int("DB_POOL_MIN", 2)  # per server process
DB_POOL_MAX = _env_int("DB_POOL_MAX", 8)
DB_POOL_TIMEOUT = _env_int("DB_POOL_TIMEOUT", 10)  # seconds to wait for a free connection
try:
    DATABASES = {
        "default": dj_database_url.parse(_env("DATABASE_URL") or _default_db,
                                         conn_max_age=DB_CONN_MAX_AGE)
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL:
    if DB_CONN_MAX_AGE:
        raise ImproperlyConfigured(
            "DB_CONN_MAX_AGE cannot be combined with the connection pool (DB_POOL); leave it "
            "at 0 (persistent connections leak under ASGI) or set DB_POOL=false.")
    if not 0 <= DB_POOL_MIN <= DB_POOL_MAX or DB_POOL_MAX < 1:
        raise ImproperlyConfigured("DB_POOL_MIN and DB_POOL_MAX: 0 <= min <= max, max >= 1")
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": DB_POOL_MIN, "max_size": DB_POOL_MAX, "timeout": DB_POOL_TIMEOUT,
        "max_idle": 300,
    }
    # The pool checks a connection before lending it: one the server dropped (a restart) is
    # replaced instead of failing a request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:dashboard"

# django-axes: lock an account + address pair after repeated failures.
AXES_FAILURE_LIMIT = _env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "tiepdan.core.client_address.client_address"

OTP_TOTP_ISSUER = "Tiếp Dân"

LANGUAGE_CODE = "vi"
# Each language is named in itself, never translated (core.templatetags.languages).
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = installation.static_root()  # made by `tiepdan init`; whitenoise serves from here
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(_env("MEDIA_ROOT") or VAR_DIR / "files")
STORAGES: dict[str, dict[str, Any]] = {
    # Uploaded files are private: never served under a public URL, only through
    # permission-checked views.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# S3-compatible object storage (SeaweedFS, MinIO, AWS) for the same private files when
# STORAGE_S3_BUCKET is set; local files otherwise (the embedded default).  Objects are private and
# never linked: every file still goes out through a permission-checked, audited view.
STORAGE_S3_BUCKET = _env("STORAGE_S3_BUCKET") or ""
if STORAGE_S3_BUCKET:
    _s3_endpoint = _env("STORAGE_S3_ENDPOINT_URL") or ""
    _s3_key, _s3_secret = _env("STORAGE_S3_ACCESS_KEY_ID"), _env("STORAGE_S3_SECRET_ACCESS_KEY")
    if bool(_s3_key) != bool(_s3_secret):
        raise ImproperlyConfigured(
            "STORAGE_S3_ACCESS_KEY_ID and STORAGE_S3_SECRET_ACCESS_KEY must be set together")
    _s3_style = _env("STORAGE_S3_ADDRESSING_STYLE") or "path"
    if _s3_style not in ("path", "virtual", "auto"):
        raise ImproperlyConfigured(
            f"STORAGE_S3_ADDRESSING_STYLE={_s3_style!r}: expected path, virtual or auto")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": _s3_endpoint or None,
            "region_name": _env("STORAGE_S3_REGION") or None,
            "access_key": _s3_key or None,
            "secret_key": _s3_secret or None,
            "addressing_style": _s3_style,
            "location": (_env("STORAGE_S3_PREFIX") or "").strip("/"),
            "default_acl": "private",
            # Never hand out (signed) bucket URLs; the app streams every file itself.
            "querystring_auth": False,
            "file_overwrite": False,
            "signature_version": "s3v4",
            "use_ssl": not _s3_endpoint.startswith("http://"),
        },
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Sessions end when the browser closes; a signed-in staff member is signed out after 30 minutes
# without a request and 12 hours after signing in (tiepdan.core.session_limits).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
STAFF_SESSION_IDLE_SECONDS = _env_int("STAFF_SESSION_IDLE_MINUTES", 30) * 60
STAFF_SESSION_ABSOLUTE_SECONDS = _env_int("STAFF_SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_COOKIE_AGE = STAFF_SESSION_ABSOLUTE_SECONDS  # the server forgets a session after that
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS (production, see .env.example).  X-Forwarded-Proto is honoured only from TRUSTED_PROXIES:
# tiepdan.core.client_address.ForwardedHeadersMiddleware drops it from anyone else.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 0)  # production: 31536000 (one year)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
if 0 < SECURE_HSTS_SECONDS < 365 * 24 * 3600:
    raise ImproperlyConfigured("SECURE_HSTS_SECONDS must be 0 (off) or at least 31536000 (a year)")

# Content-Security-Policy (django-csp 4): scripts only from this site or with the request's
# nonce, never inline handlers or eval (htmx is configured with allowEval/allowScriptTags off).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

def redis_caches(url: str) -> dict[str, dict[str, Any]]:
    """The cache on Redis: one pool per process, not one per request thread (ops.redis_pool)."""
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": url,
                        "OPTIONS": {"pool_class": "tiepdan.ops.redis_pool.SharedConnectionPool"}}}


REDIS_URL = _env("REDIS_URL") or ""
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                  "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Live hearing rooms (media.room_state): in Redis with REDIS_URL (shared by every web process);
# otherwise in the web process's memory, kept in this directory so that a restarted web process
# finds its rooms' floor state again.
ROOM_STATE_DIR = Path(_env("TIEPDAN_ROOM_STATE_DIR") or VAR_DIR / "rooms")

HUEY_IMMEDIATE = _env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {"huey_class": "tiepdan.ops.jobs.RedisHuey", "name": "tiepdan", "url": REDIS_URL,
            "immediate": HUEY_IMMEDIATE}
else:
    HUEY = {"huey_class": "tiepdan.ops.jobs.SqliteHuey", "name": "tiepdan",
            "filename": str(VAR_DIR / "huey.sqlite3"), "immediate": HUEY_IMMEDIATE}

EMAIL_BACKEND = _env("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if _env("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "outbox"
EMAIL_HOST = _env("EMAIL_HOST") or "localhost"
EMAIL_PORT = _env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = _env("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _env("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = _env("DEFAULT_FROM_EMAIL") or "Tiếp Dân <khongtraloi@tiepdan.local>"

# SMS: a dotted path to a class implementing tiepdan.notify.sms.SmsGateway; the default only logs.
SMS_GATEWAY = _env("SMS_GATEWAY") or "tiepdan.notify.sms.LoggingSmsGateway"
NOTIFY_MAX_ATTEMPTS = _env_int("NOTIFY_MAX_ATTEMPTS", 4)

# Zalo ZNS beside SMS: communes listed in ZNS_COMMUNES (ward codes, or "*") send a citizen's
# messages as ZNS templates when ZNS_TEMPLATES (JSON: message purpose -> approved template id) has
# one for the message; any failure falls back to the SMS text.
ZNS_API_URL = (_env("ZNS_API_URL") or "https://business.openapi.zalo.me").rstrip("/")
ZNS_ACCESS_TOKEN = _env("ZNS_ACCESS_TOKEN") or ""
ZNS_COMMUNES = frozenset(c.strip() for c in (_env("ZNS_COMMUNES") or "").split(",") if c.strip())
ZNS_TIMEOUT = _env_int("ZNS_TIMEOUT", 10)


def _zns_templates() -> dict[str, str]:
    raw = _env("ZNS_TEMPLATES") or "{}"
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"ZNS_TEMPLATES must be a JSON object: {exc}") from exc
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ImproperlyConfigured("ZNS_TEMPLATES must map message purposes to template ids")
    return value


ZNS_TEMPLATES = _zns_templates()

# Public registration API: requests per client address (django-ninja throttling syntax).
REGISTRATION_RATE = _env("REGISTRATION_RATE") or "30/m"
LOOKUP_RATE = _env("LOOKUP_RATE") or "60/m"
UPLOAD_RATE = _env("UPLOAD_RATE") or "60/m"
# The same limits for the public pages: the registration form (POST) and /tra-cuu/ lookups.
REGISTRATION_FORM_RATE = _env("REGISTRATION_FORM_RATE") or REGISTRATION_RATE
LOOKUP_PAGE_RATE = _env("LOOKUP_PAGE_RATE") or "30/m"
# Bytes of not-yet-claimed API uploads one client address may hold within 24 hours.
UPLOAD_QUOTA_BYTES = _env_int("UPLOAD_QUOTA_BYTES", 100 * 1024 * 1024)

# Attachments: type is checked from the content, not the name.
ATTACHMENT_MAX_BYTES = _env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = _env_int("ATTACHMENT_MAX_COUNT", 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Denouncer identity protection (Luật Tố cáo Đ47, Đ56): the identity of a denunciation is
# encrypted at rest with Fernet.  TIEPDAN_IDENTITY_KEYS lists Fernet keys, newest first, comma
# separated (the first encrypts, all decrypt; `tiepdan identity rotate-keys` re-encrypts with the
# first).  Unset: a key file generated on first use (0600) under VAR_DIR/keys/.
def _identity_keys() -> list[str]:
    from cryptography.fernet import Fernet

    keys = [k.strip() for k in (_env("TIEPDAN_IDENTITY_KEYS") or "").split(",") if k.strip()]
    for index, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TIEPDAN_IDENTITY_KEYS: key #{index} is not a Fernet key (32 url-safe base64 "
                "bytes; make one with `tiepdan identity new-key`)") from exc
    return keys


IDENTITY_KEYS = _identity_keys()
IDENTITY_KEY_FILE = Path(_env("TIEPDAN_IDENTITY_KEY_FILE") or VAR_DIR / "keys" / "identity.key")
# Key of the blind indexes (HMAC-SHA256 digests of ID and phone numbers, for duplicate matching
# without decryption).  Unset: derived from SECRET_KEY with HKDF; changing it (or SECRET_KEY when
# it is unset) needs `tiepdan identity rebuild-digests`.
IDENTITY_DIGEST_KEY = _env("TIEPDAN_IDENTITY_DIGEST_KEY") or ""

# Media: the Janus WebRTC server, started and supervised by `tiepdan serve`. Its HTTP and admin
# APIs listen on 127.0.0.1 only; browsers reach it through the app.  Secrets are generated
# into VAR_DIR/janus/secrets.json (0600) on first start.
JANUS_BINARY = _env("JANUS_BINARY") or "janus"
JANUS_HTTP_PORT = _env_int("JANUS_HTTP_PORT", 8088)
JANUS_ADMIN_PORT = _env_int("JANUS_ADMIN_PORT", 7088)
JANUS_RTP_PORTS = _env("JANUS_RTP_PORTS") or "20000-20999"
JANUS_ICE_ENFORCE_LIST = _env("JANUS_ICE_ENFORCE_LIST") or ""  # "v0" inside scripts/netns-run
JANUS_NAT_1_1_MAPPING = _env("JANUS_NAT_1_1_MAPPING") or ""  # public IP of a 1:1-NAT cloud VM
JANUS_STUN_SERVER = _env("JANUS_STUN_SERVER") or ""
JANUS_REC_DIR = Path(_env("JANUS_REC_DIR") or VAR_DIR / "recordings" / "raw")
# The Janus above is registered as the node "embedded" (media.janus_nodes); turn it off on a
# deployment whose rooms live only on registered nodes (`tiepdan janusnodes add`).  Every node
# records into JANUS_REC_DIR, which must therefore be the same shared folder on all of them.
JANUS_EMBEDDED_NODE = _env_bool("JANUS_EMBEDDED_NODE", True)
JANUS_EMBEDDED_CAPACITY = _env_int("JANUS_EMBEDDED_CAPACITY", 20)  # concurrent rooms
# Seconds between the end of a hearing and its recordings' post-processing job.
RECORDINGS_PROCESS_DELAY = _env_int("RECORDINGS_PROCESS_DELAY", 10)
# The Ed25519 key that signs recording manifests (default VAR_DIR/keys/recordings-ed25519.pem).
RECORDINGS_SIGNING_KEY_FILE = _env("RECORDINGS_SIGNING_KEY_FILE") or ""

# Operations (tiepdan.ops): /readyz checks each part with this timeout (seconds); the Janus
# check can be turned off on a deployment without online hearings.
READYZ_TIMEOUT = _env_int("READYZ_TIMEOUT", 2)
READYZ_JANUS = _env_bool("READYZ_JANUS", True)
# coturn's listening address (host[:port], UDP, default port 3478): /readyz sends it a STUN
# binding request.  Unset: no TURN server in this deployment.
TURN_SERVER = _env("TURN_SERVER") or ""
if TURN_SERVER:
    try:
        parse_address(TURN_SERVER)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TURN_SERVER must be host[:port]: {exc}") from exc
# TURN for browsers (docs/deploy.md "TURN"): every page gets time-limited credentials
# (coturn's REST API scheme: username "<expiry>:<member>", password HMAC-SHA1 of it with the
# shared secret) in the room's "welcome"; never a static password.  TURN_URLS lists what
# browsers use (turn:host:3478?transport=udp, ...?transport=tcp, turns:host:443?transport=tcp);
# unset, they are derived from TURN_SERVER (and TURN_TLS_SERVER for turns:).  The secret is
# TURN_SECRET or the file TURN_SECRET_FILE (the same one coturn reads); the embedded coturn
# generates its own into VAR_DIR/turn/secret.
TURN_EMBEDDED = _env_bool("TURN_EMBEDDED", False)  # `tiepdan serve` starts coturn itself
TURN_PORT = _env_int("TURN_PORT", 3478)
TURN_LISTEN_IPS = [ip.strip() for ip in (_env("TURN_LISTEN_IPS") or "").split(",") if ip.strip()]
if TURN_EMBEDDED and not TURN_SERVER:
    TURN_SERVER = f"{TURN_LISTEN_IPS[0] if TURN_LISTEN_IPS else '127.0.0.1'}:{TURN_PORT}"
TURN_TLS_SERVER = _env("TURN_TLS_SERVER") or ""  # host:443 when coturn has a certificate
TURN_SECRET = _env("TURN_SECRET") or ""
TURN_SECRET_FILE = _env("TURN_SECRET_FILE") or ""
TURN_TTL = _env_int("TURN_TTL", 43200)  # seconds a browser's credential is valid
TURN_URLS = [u.strip() for u in (_env("TURN_URLS") or "").split(",") if u.strip()]
if not TURN_URLS and TURN_SERVER and (TURN_SECRET or TURN_SECRET_FILE or TURN_EMBEDDED):
    TURN_URLS = list(default_urls(TURN_SERVER, TURN_TLS_SERVER))
for _url in TURN_URLS:
    if not _url.startswith(("turn:", "turns:", "stun:")):
        raise ImproperlyConfigured(f"TURN_URLS: not a turn:, turns: or stun: URL: {_url!r}")
if TURN_SECRET and len(TURN_SECRET) < 16:
    raise ImproperlyConfigured("TURN_SECRET must be at least 16 characters")
if TURN_URLS and not (TURN_SECRET or TURN_SECRET_FILE or TURN_EMBEDDED):
    raise ImproperlyConfigured("TURN_URLS needs TURN_SECRET or TURN_SECRET_FILE (coturn's "
                               "static-auth-secret)")
# The embedded coturn (TURN_EMBEDDED): relay ports, public address behind 1:1 NAT, TLS.
TURN_RELAY_PORTS = _env("TURN_RELAY_PORTS") or "49152-49999"
TURN_REALM = _env("TURN_REALM") or "tiepdan"
TURN_EXTERNAL_IP = _env("TURN_EXTERNAL_IP") or ""
TURN_RELAY_IP = _env("TURN_RELAY_IP") or ""
TURN_TLS_PORT = _env_int("TURN_TLS_PORT", 5349)
TURN_CERT_FILE = _env("TURN_CERT_FILE") or ""
TURN_KEY_FILE = _env("TURN_KEY_FILE") or ""
# Private addresses coturn may relay to (the Janus host's, when it is on a private network).
TURN_ALLOWED_PEER_IPS = [ip.strip() for ip in (_env("TURN_ALLOWED_PEER_IPS") or "").split(",")
                         if ip.strip()]


def _metrics_addresses() -> list[str]:
    values = [v.strip() for v in (_env("METRICS_ALLOWED_ADDRESSES") or "").split(",")
              if v.strip()]
    try:
        parse_networks(values)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_ADDRESSES must list IP addresses or networks: {exc}") from exc
    return values


# Who may read /metrics: these client addresses (the scraper's, as tiepdan.core.client_address
# sees it) or a request with "Authorization: Bearer <METRICS_TOKEN>".  Neither set: nobody.
METRICS_ALLOWED_ADDRESSES = _metrics_addresses()
METRICS_TOKEN = _env("METRICS_TOKEN") or ""
# Multiprocess metric files of the processes `tiepdan serve` starts (one folder per role).
METRICS_DIR = Path(_env("METRICS_DIR") or VAR_DIR / "metrics")

# Digital signatures of issued documents (PAdES; tiepdan.documents.trust and .seal).
SIGNATURE_TRUST_ROOTS = [
    p.strip() for p in (_env("SIGNATURE_TRUST_ROOTS") or str(VAR_DIR / "keys" / "trust")).split(",")
    if p.strip()
]
SIGNATURE_REVOCATION = _env("SIGNATURE_REVOCATION") or "soft-fail"
SIGNATURE_FETCH_REVOCATION = _env_bool("SIGNATURE_FETCH_REVOCATION", False)
SIGNATURE_CRL_FILES = [p.strip() for p in (_env("SIGNATURE_CRL_FILES") or "").split(",")
                       if p.strip()]  # CRLs kept on the machine (files or folders)
SIGNATURE_TSA_URL = _env("SIGNATURE_TSA_URL") or ""  # an RFC 3161 time-stamping authority
SIGNATURE_POLICY = json.loads(_env("SIGNATURE_POLICY") or "{}")
SIGNED_PDF_MAX_BYTES = _env_int("SIGNED_PDF_MAX_BYTES", 20 * 1024 * 1024)
VERIFY_UPLOAD_RATE = _env("VERIFY_UPLOAD_RATE") or "20/m"

# Log lines: text by default, JSON lines (one object per line) with LOG_FORMAT=json; each has
# the request id, personal data redacted (tiepdan.ops.logs).
LOG_FORMAT = (_env("LOG_FORMAT") or "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = logging_config(LOG_FORMAT, _env("LOG_LEVEL") or "INFO")
