"""Text every edge (forms, API, WebSocket messages) must refuse or normalise (issue 12 §2)."""

import unicodedata

NFC_NAME = "Nguyễn Thị Ánh"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)
REFUSED = {
    "escape": "Nguyễn\x1b[31m Ánh",
    "nul": "Nguyễn\x00Ánh",
    "bidi_override": "Nguyễn\u202eÁnh",
    "lone_surrogate": "Nguyễn\ud800Ánh",
}
