"""Generate the configuration directory Janus is started with.

The app owns Janus's configuration: Debian's /etc/janus loads every plugin and transport and
ships well-known secrets, so we never use it.  What we generate keeps only the videoroom plugin
and the HTTP transport, binds the Janus API and the admin API to 127.0.0.1 (browsers never talk
to Janus; the app relays signalling and checks every permission), and requires secrets that
only the app knows: ``api_secret`` for the Janus API, ``admin_secret`` for the admin API and the
videoroom ``admin_key`` for creating rooms.

Django-free on purpose, apart from :func:`settings_from_django`.
"""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
VIDEOROOM = "libjanus_videoroom.so"
HTTP_TRANSPORT = "libjanus_http.so"
# Debian's janus 1.1.2 modules, used to build the "disable" lists when the module folders
# cannot be found (a Janus built elsewhere); normally we list the folders themselves so a newer
# Janus with extra modules still loads only what we want.
KNOWN_MODULES = {
    "plugins": ["audiobridge", "duktape", "echotest", "lua", "nosip", "recordplay", "sip",
                "streaming", "textroom", "videocall", "videoroom", "voicemail"],
    "transports": ["http", "mqtt", "nanomsg", "pfunix", "rabbitmq", "websockets"],
    "events": ["gelfevh", "mqttevh", "nanomsgevh", "rabbitmqevh", "sampleevh", "wsevh"],
    "loggers": ["jsonlog"],
}
# Janus refuses to record into these (defence in depth against a rec_dir sent over the API).
SYSTEM_FOLDERS = ["/bin", "/boot", "/dev", "/etc", "/initrd", "/lib", "/lib32", "/lib64",
                  "/proc", "/sbin", "/sys", "/usr", "/var", "/opt"]
_PORT_RANGE = re.compile(r"^(\d{1,5})-(\d{1,5})$")


@dataclass(frozen=True)
class JanusSecrets:
    api_secret: str
    admin_secret: str
    room_admin_key: str

    @classmethod
    def generate(cls) -> JanusSecrets:
        return cls(*(secrets.token_urlsafe(32) for _ in range(3)))


@dataclass(frozen=True)
class JanusSettings:
    conf_dir: Path
    rec_dir: Path
    admin_secret: str
    api_secret: str | None
    room_admin_key: str | None = None
    http_port: int = 8088
    admin_port: int = 7088
    rtp_port_range: str = "20000-20999"
    # Only these interfaces gather ICE candidates ("v0" in the test network namespace).
    ice_enforce_list: str | None = None
    ice_ignore_list: str = "vmnet"
    # Public address(es) of a server behind a 1:1 NAT (cloud VM); STUN when behind other NAT.
    nat_1_1_mapping: str | None = None
    keep_private_host: bool = False
    stun_server: str | None = None
    stun_port: int = 3478
    log_file: Path | None = None
    debug_level: int = 4
    binary: str = "janus"

    def __post_init__(self) -> None:
        match = _PORT_RANGE.match(self.rtp_port_range)
        if not match or not 0 < int(match[1]) <= int(match[2]) <= 65535:
            raise ValueError(f"rtp_port_range must look like 20000-20999, "
                             f"not {self.rtp_port_range!r}")
        for name in ("http_port", "admin_port"):
            if not 0 < getattr(self, name) <= 65535:
                raise ValueError(f"{name} must be a TCP port")
        if self.http_port == self.admin_port:
            raise ValueError("http_port and admin_port must differ")
        if not self.admin_secret:
            raise ValueError("admin_secret must not be empty")

    @property
    def api_url(self) -> str:
        return f"http://{LOOPBACK}:{self.http_port}/janus"

    @property
    def admin_url(self) -> str:
        return f"http://{LOOPBACK}:{self.admin_port}/admin"

    @property
    def config_file(self) -> Path:
        return self.conf_dir / "janus.jcfg"

    def command(self) -> list[str]:
        """The argv that starts Janus in the foreground with this configuration."""
        return [self.binary, "-F", str(self.conf_dir), "-C", str(self.config_file)]


def load_or_create_secrets(path: Path) -> JanusSecrets:
    """The deployment's Janus secrets, generated on first use and kept (mode 0600) at
    ``path``: the web process and the Janus process both need them, and they must survive a
    Janus restart."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(JanusSecrets.generate().__dict__, handle)
    data = json.loads(path.read_text(encoding="utf-8"))
    return JanusSecrets(data["api_secret"], data["admin_secret"], data["room_admin_key"])


def settings_from_django() -> JanusSettings:
    """Build the settings from Django's (``JANUS_*``, all optional) and the var dir's secrets."""
    from django.conf import settings

    var_dir = Path(settings.VAR_DIR)
    janus_dir = Path(getattr(settings, "JANUS_DIR", var_dir / "janus"))
    found = load_or_create_secrets(janus_dir / "secrets.json")
    return JanusSettings(
        conf_dir=janus_dir / "conf",
        rec_dir=Path(getattr(settings, "JANUS_REC_DIR", var_dir / "recordings" / "raw")),
        admin_secret=found.admin_secret,
        api_secret=found.api_secret,
        room_admin_key=found.room_admin_key,
        http_port=int(getattr(settings, "JANUS_HTTP_PORT", 8088)),
        admin_port=int(getattr(settings, "JANUS_ADMIN_PORT", 7088)),
        rtp_port_range=getattr(settings, "JANUS_RTP_PORTS", "20000-20999"),
        ice_enforce_list=getattr(settings, "JANUS_ICE_ENFORCE_LIST", "") or None,
        nat_1_1_mapping=getattr(settings, "JANUS_NAT_1_1_MAPPING", "") or None,
        stun_server=getattr(settings, "JANUS_STUN_SERVER", "") or None,
        log_file=janus_dir / "janus.log",
        binary=getattr(settings, "JANUS_BINARY", "janus"),
    )


# -- Writing the files ------------------------------------------------------------------------

def write_config(settings: JanusSettings) -> Path:
    """(Re)write the configuration directory; return the path of janus.jcfg.

    The files hold secrets: the directory is 0700 and the files 0600."""
    settings.conf_dir.mkdir(parents=True, exist_ok=True)
    settings.conf_dir.chmod(0o700)
    settings.rec_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # evidence: owner only
    if settings.log_file:
        settings.log_file.parent.mkdir(parents=True, exist_ok=True)
    for name, text in render_config(settings).items():
        path = settings.conf_dir / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        path.chmod(0o600)
    return settings.config_file


def render_config(settings: JanusSettings) -> dict[str, str]:
    """The configuration files' names and contents."""
    return {
        "janus.jcfg": _janus_jcfg(settings),
        "janus.plugin.videoroom.jcfg": _videoroom_jcfg(settings),
        "janus.transport.http.jcfg": _http_jcfg(settings),
    }


def module_folders() -> dict[str, Path] | None:
    """The folders of the installed Janus's modules (Debian puts them under the multiarch
    lib dir), or None when not found: Janus then uses its compiled-in defaults."""
    for base in sorted(glob.glob("/usr/lib/*/janus")) + ["/usr/lib/janus", "/opt/janus/lib/janus"]:
        folders = {kind: Path(base) / kind for kind in KNOWN_MODULES}
        if all(folder.is_dir() for folder in folders.values()):
            return folders
    return None


def _disabled(kind: str, keep: set[str], folders: dict[str, Path] | None) -> str:
    if folders:
        names = {path.name for path in folders[kind].glob("libjanus_*.so")}
    else:
        names = {f"libjanus_{name}.so" for name in KNOWN_MODULES[kind]}
    return ",".join(sorted(names - keep))


def _q(value: str | Path) -> str:
    """A libconfig string literal."""
    text = str(value)
    if "\n" in text or "\r" in text:
        raise ValueError("configuration values must be on one line")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _b(value: bool) -> str:
    return "true" if value else "false"


def _janus_jcfg(s: JanusSettings) -> str:
    folders = module_folders()
    rec_dir = str(s.rec_dir.resolve())
    protected = [f for f in SYSTEM_FOLDERS if not (rec_dir + "/").startswith(f + "/")]
    general = [
        f"configs_folder = {_q(s.conf_dir)}",
        f"debug_level = {int(s.debug_level)}",
        "debug_timestamps = true",
        "debug_colors = false",
        f"log_to_stdout = {_b(s.log_file is None)}",
        *([f"log_to_file = {_q(s.log_file)}"] if s.log_file else []),
        f"admin_secret = {_q(s.admin_secret)}",
        *([f"api_secret = {_q(s.api_secret)}"] if s.api_secret else []),
        'server_name = "tiepdan"',
        "hide_dependencies = true",
        "session_timeout = 60",
        "protected_folders = [" + ", ".join(_q(f) for f in protected) + "]",
    ]
    if folders:
        general += [f"{kind}_folder = {_q(folders[kind])}"
                    for kind in ("plugins", "transports", "events", "loggers")]
    nat = [
        "nice_debug = false",
        f"ice_ignore_list = {_q(s.ice_ignore_list)}",
        *([f"ice_enforce_list = {_q(s.ice_enforce_list)}"] if s.ice_enforce_list else []),
        *([f"stun_server = {_q(s.stun_server)}", f"stun_port = {int(s.stun_port)}"]
          if s.stun_server else []),
        *([f"nat_1_1_mapping = {_q(s.nat_1_1_mapping)}",
           f"keep_private_host = {_b(s.keep_private_host)}"] if s.nat_1_1_mapping else []),
    ]
    sections = {
        "general": general,
        "certificates": [],
        "media": [f"rtp_port_range = {_q(s.rtp_port_range)}"],
        "nat": nat,
        "plugins": [f"disable = {_q(_disabled('plugins', {VIDEOROOM}, folders))}"],
        "transports": [f"disable = {_q(_disabled('transports', {HTTP_TRANSPORT}, folders))}"],
        "loggers": [f"disable = {_q(_disabled('loggers', set(), folders))}"],
        "events": ["broadcast = false", f"disable = {_q(_disabled('events', set(), folders))}"],
    }
    return _render(sections)


def _videoroom_jcfg(s: JanusSettings) -> str:
    general = [
        # Rooms are created by the app over the API; never from the config file.
        *([f"admin_key = {_q(s.room_admin_key)}", "lock_rtp_forward = true"]
          if s.room_admin_key else []),
        "events = false",
        "string_ids = false",
    ]
    return _render({"general": general})


def _http_jcfg(s: JanusSettings) -> str:
    return _render({
        "general": [
            'json = "compact"', 'base_path = "/janus"', "http = true",
            f"port = {int(s.http_port)}", f"ip = {_q(LOOPBACK)}", 'acl = "127."', "https = false",
        ],
        "admin": [
            'admin_base_path = "/admin"', "admin_http = true",
            f"admin_port = {int(s.admin_port)}", f"admin_ip = {_q(LOOPBACK)}",
            'admin_acl = "127."', "admin_https = false",
        ],
        "cors": [],
    })


def _render(sections: dict[str, list[str]]) -> str:
    out = ["# Generated by tiepdan.media.janus_config at every start; edits are lost.\n"]
    for name, lines in sections.items():
        out.append(f"{name}: {{\n" + "".join(f"\t{line}\n" for line in lines) + "}\n")
    return "\n".join(out)
