"""The one catalogue of user-facing text: every key has a Vietnamese (default) and an English text, and
`t(key, lang, **values)` is the only way to look one up."""

from __future__ import annotations

from ntm.text.entries import access, charts, cli, common, findings, pack, pages, targets, upload

LANGS = ("vi", "en")
DEFAULT_LANG = LANGS[0]         # Vietnamese: the dashboard's and the exports' default
# The languages the dashboard's toolkit (Streamlit) speaks in its own widgets: where the reader's is not one
# of them, a widget whose words no style can replace is hidden (the product's own buttons stand in for it).
TOOLKIT_LANGS = ("en",)

ENTRY_MODULES = (common, pages, upload, access, cli, charts, pack, findings, targets)


def _join(modules) -> dict[str, dict[str, str]]:
    """One dict of every entry; a key defined twice is an error (each key means one thing)."""
    out: dict[str, dict[str, str]] = {}
    for module in modules:
        for key, entry in module.ENTRIES.items():
            if key in out:
                raise ValueError(f"catalogue key {key!r} defined twice (second in {module.__name__})")
            out[key] = entry
    return out


MESSAGES: dict[str, dict[str, str]] = _join(ENTRY_MODULES)


def t(key: str, lang: str = "vi", /, **kwargs) -> str:
    """The message `key` in `lang` (Vietnamese when the language is unknown), formatted with kwargs."""
    text = MESSAGES[key][language(lang)]
    return text.format(**kwargs) if kwargs else text


def language(lang: str | None) -> str:
    """`lang` when the catalogue has it, else Vietnamese (the default language)."""
    return lang if lang in LANGS else DEFAULT_LANG


def toolkit_speaks(lang: str | None) -> bool:
    """Whether the toolkit's own widget texts are in the reader's language (`TOOLKIT_LANGS`)."""
    return language(lang) in TOOLKIT_LANGS


def localised(field: str, lang: str | None) -> str:
    """The column of a data file that holds `field` in the reader's language (`name` → `name_vi`, `name_en`):
    data carry their own words in both languages."""
    return f"{field}_{language(lang)}"


def has_text(key: str) -> bool:
    """Whether the catalogue has `key` (for keys built from data, e.g. a target's metric)."""
    return key in MESSAGES


def status_label(status: str | None, lang: str = "vi") -> str:
    """Display name of an NTM status."""
    return t(f"status.{status or 'none'}", lang)


