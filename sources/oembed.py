"""Video sites on the allow-list: their previews come from oEmbed, and their player is shown
only when the reader asks for it (click to load, see templates/sources/preview_card.html).

The player's address is built here from the video's id, never taken from the oEmbed answer's
HTML: what we put in the page is ours, whatever the other site sends. Other sites with an
oEmbed endpoint get an ordinary preview card (OpenGraph/JSON-LD).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")

# The oEmbed endpoints; `{url}` is the video's canonical address. Tests point these at their
# local server.
ENDPOINTS = {
    "youtube": "https://www.youtube.com/oembed?format=json&url={url}",
    "vimeo": "https://vimeo.com/api/oembed.json?url={url}",
}


@dataclass(frozen=True)
class Video:
    provider: str  # "youtube" or "vimeo"
    provider_name: str  # shown to readers: "YouTube"
    video_id: str

    @property
    def canonical_url(self) -> str:
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        return f"https://vimeo.com/{self.video_id}"

    @property
    def embed_url(self) -> str:
        # YouTube's privacy-enhanced player, and Vimeo's without tracking: once the reader
        # chose to play, the other site still learns as little as it offers.
        if self.provider == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}"
        return f"https://player.vimeo.com/video/{self.video_id}?dnt=1"

    @property
    def oembed_url(self) -> str:
        return ENDPOINTS[self.provider].format(url=quote(self.canonical_url, safe=""))


def _youtube_id(host: str, path: str, query: str) -> str | None:
    if host == "youtu.be":
        candidate = path.strip("/").split("/")[0]
    elif host in ("youtube.com", "www.youtube.com", "m.youtube.com"):
        if path == "/watch":
            candidate = (parse_qs(query).get("v") or [""])[0]
        else:
            parts = path.strip("/").split("/")
            candidate = parts[1] if len(parts) >= 2 and parts[0] in ("shorts", "embed") else ""
    else:
        return None
    return candidate if _YOUTUBE_ID.match(candidate) else None


def _vimeo_id(host: str, path: str) -> str | None:
    parts = path.strip("/").split("/")
    if host in ("vimeo.com", "www.vimeo.com"):
        candidate = parts[0]
    elif host == "player.vimeo.com" and len(parts) == 2 and parts[0] == "video":
        candidate = parts[1]
    else:
        return None
    return candidate if _VIMEO_ID.match(candidate) else None


def video_for(url: str) -> Video | None:
    """The allow-listed video this (normalised) address shows, if any."""
    parts = urlsplit(url)
    if parts.scheme != "https" and parts.scheme != "http":
        return None
    host = (parts.hostname or "").lower()
    youtube = _youtube_id(host, parts.path, parts.query)
    if youtube:
        return Video("youtube", "YouTube", youtube)
    vimeo = _vimeo_id(host, parts.path)
    if vimeo:
        return Video("vimeo", "Vimeo", vimeo)
    return None
