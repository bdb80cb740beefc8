"""Streamlit's own texts in the interface language.

Streamlit offers no option for the words it draws itself: the file uploader's button and size limit,
the "Press Enter to apply" hint under a focused text box, the skip link, its error dialogs ("Page
not found", "Connection error"), its sentence for an uncaught error and its connection state. A
style sheet drawn once per script run hides each English text and shows the locale's words in its
place (CSS `content`), selected by the data-testid names of the Streamlit version in the lock file
(tests/e2e/test_links_browser.py checks them in chromium).
"""

from __future__ import annotations

import json

import streamlit as st

from dashboard.i18n import t

_DROPZONE = '[data-testid="stFileUploaderDropzone"]'
_HINT = '[data-testid="InputInstructions"] > span:first-child'


def _text(value: str) -> str:
    """A CSS string: JSON's quoting is CSS's for these characters (no line breaks in the catalogue)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\3c ")


def _swap(selector: str, text: str, size: str) -> str:
    """Hide the element's own text (and any element in it) and show `text` in its place."""
    return (
        f"{selector}{{font-size:0 !important}}{selector} > *{{display:none !important}}"
        f"{selector}::after{{content:{_text(text)};font-size:{size}}}"
    )


_LINK_LABEL = '.st-key-attention [data-testid="stPageLink-NavLink"]'
_NARROW = "(max-width: 640px)"  # Streamlit stacks columns and folds the sidebar below this width
# Layout Streamlit has no option for: the 需要关注 lines wrap (a line cut with "…" loses its
# numbers, which come last); a container keyed narrowonly-… (the pickers repeated at the top of the
# page, the project cards) shows only on a narrow screen, one keyed wideonly-… only on a wide one.
LAYOUT = [
    f"{_LINK_LABEL}{{height:auto !important;align-items:flex-start !important}}"
    f"{_LINK_LABEL} span,{_LINK_LABEL} p{{white-space:normal !important;overflow:visible !important;"
    "text-overflow:clip !important;overflow-wrap:anywhere}",
    # The container and the wrapper Streamlit puts around it (which would keep the column's gap).
    f'@media not {_NARROW}{{[class*="st-key-narrowonly-"],:has(> [class*="st-key-narrowonly-"])'
    "{display:none !important}}",
    f'@media {_NARROW}{{[class*="st-key-wideonly-"],:has(> [class*="st-key-wideonly-"]){{display:none !important}}}}',
]


def style_sheet() -> str:
    """The rules for the current locale."""
    limit = t("chrome.upload_limit", mb=st.get_option("server.maxUploadSize"))
    rules = [
        # The uploader's button, its size limit, and what shows while a file is dragged over it.
        _swap(f'{_DROPZONE} button [data-testid="stMarkdownContainer"] p', t("chrome.upload"), "0.875rem"),
        _swap('[data-testid="stFileUploaderDropzoneInstructions"] span', limit, "0.875rem"),
        _swap(f"{_DROPZONE} > div:not([data-testid]) > span", t("chrome.drop_here"), "0.875rem"),
        # The hint under a focused text box: Enter applies it, or submits the form it is in;
        # a text area takes Ctrl+Enter.
        _swap(_HINT, t("chrome.enter_apply"), "0.75rem"),
        _swap(f'[data-testid="stForm"] {_HINT}', t("chrome.enter_submit"), "0.75rem"),
        _swap(f'[data-testid="stTextArea"] {_HINT}', t("chrome.ctrl_enter_apply"), "0.75rem"),
        _swap(
            f'[data-testid="stForm"] [data-testid="stTextArea"] {_HINT}',
            t("chrome.ctrl_enter_submit"),
            "0.75rem",
        ),
        # The keyboard user's skip link (shown when focused).
        _swap('[data-testid="stSkipToContent"]', t("chrome.skip"), "1rem"),
        # Streamlit's modal error dialogs (the app draws no dialog of its own): a mistyped address
        # or a lost connection to the server.
        _swap('section[role="dialog"] > h2', t("chrome.dialog.title"), "1.5rem"),
        _swap('section[role="dialog"] > h2 + div', t("chrome.dialog.body"), "1rem"),
        # A script error the app did not catch (client.showErrorDetails = "none": Streamlit's
        # English sentence about redacted details), and the connection state in the corner.
        _swap('[data-testid="stExceptionMessage"]', t("chrome.exception"), "1rem"),
        '[data-testid="stExceptionMessage"] ~ div{display:none !important}',  # Copy, Ask Google
        _swap('[data-testid="stConnectionStatus"] label', t("chrome.disconnected"), "0.875rem"),
    ]
    return "<style>" + "".join(rules + LAYOUT) + "</style>"


def localise_streamlit() -> None:
    """Draw the style sheet (it takes no space on the page)."""
    st.html(style_sheet())
