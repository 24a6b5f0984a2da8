"""Markdown to safe HTML: markdown-it-py renders, nh3 sanitises, @mentions link to profiles.

Raw HTML in the source is not rendered at all; nh3 is the second line of defence and the one
that decides which tags and attributes can ever reach a page.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline

from communities.selectors import members_by_handles

MENTION_RE = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9-]{0,39})", re.IGNORECASE)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td", "del",
    "s",  # markdown-it renders ~~strikethrough~~ as <s>
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "th": {"align"}, "td": {"align"}}


def _mention_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: `@handle` of a known member becomes a link to their profile."""
    if state.src[state.pos] != "@":
        return False
    if state.pos > 0 and (state.src[state.pos - 1].isalnum() or state.src[state.pos - 1] in "@/"):
        return False
    match = MENTION_RE.match(state.src, state.pos)
    if not match:
        return False
    member = state.env.get("members", {}).get(match.group(1).lower())
    if member is None:
        return False  # Unknown handles stay plain text and notify nobody.
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": member.get_absolute_url(), "class": "mention"}
        text = state.push("text", "", 0)
        text.content = f"@{member.handle}"
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.inline.ruler.before("emphasis", "mention", _mention_rule)
    # Headings start at h2: the page title is the only h1.
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    md.add_render_rule("image", _image_as_link)
    return md


def _shifted(tag: str, env: dict) -> str:
    # `# Title` becomes the page's first level below its h1 (h2), or `first_heading` when the
    # text stands under a heading of its own (an experience's parts: h3).
    return f"h{min(int(tag[1]) + env.get('first_heading', 2) - 1, 4)}"


def _heading_open(self, tokens, idx, options, env):
    return f"<{_shifted(tokens[idx].tag, env)}>"


def _heading_close(self, tokens, idx, options, env):
    return f"</{_shifted(tokens[idx].tag, env)}>\n"


def _image_as_link(self, tokens, idx, options, env):
    """An image becomes a link to it, named by its alt text: our pages never load pictures
    from other sites (a visitor's IP address would travel with the request)."""
    token = tokens[idx]
    src = escapeHtml(token.attrGet("src") or "")
    alt = escapeHtml(self.renderInlineAsText(token.children or [], options, env) or src)
    return f'<a href="{src}">{alt}</a>'


_md = _build()


# A web address in plain text: not a link on the page (linkify is off), but one to copy.
BARE_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\[\]()]+", re.IGNORECASE)


def link_count(text: str) -> int:
    """How many links `text` holds, as `render_markdown` renders it: Markdown links, <autolinks>
    and images (each shown as a link), plus bare web addresses, which stay text but invite a
    reader all the same. @mentions are not counted. For the link limit of new members."""
    count = 0
    for token in _md.parse(text, {"members": {}}):
        if token.type in ("fence", "code_block"):
            count += len(BARE_URL_RE.findall(token.content))
        depth, plain = 0, []
        for child in token.children or []:
            if child.type == "link_open":
                count += 1
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "image":
                count += 1
            elif depth == 0:
                # Emphasis inside an address splits it into several text tokens: join them.
                plain.append(child.content if child.type in ("text", "code_inline") else " ")
        count += len(BARE_URL_RE.findall("".join(plain)))
    return count


def mentioned_handles(text: str) -> set[str]:
    return {m.group(1).lower() for m in MENTION_RE.finditer(text)}


def render_markdown(text: str, *, first_heading: int = 2) -> tuple[str, list]:
    """Render Markdown to sanitised HTML. Returns the HTML and the members it mentions.

    Headings start at `first_heading` (h2 under the page title; h3 under a heading of the
    page's own) and never go below h4."""
    members = members_by_handles(mentioned_handles(text))
    html = _md.render(text, {"members": members, "first_heading": first_heading})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    mentioned = [m for m in members.values() if f'href="{m.get_absolute_url()}"' in clean]
    return clean, mentioned
