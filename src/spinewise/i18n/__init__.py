"""Languages: which ones Spinewise speaks, its gettext catalogues, locale formatting.

Adapter-neutral (stdlib and Babel only), so the core may use it as well as the web
app and the CLI. The knowledge base's own texts are data with their own catalogue
(``kb/data/i18n``); this package holds the program's words.
"""

from spinewise.i18n.catalogues import (
    LOCALE_DIR,
    Translator,
    catalogue_path,
    gettext,
    ngettext,
    translations,
)
from spinewise.i18n.formatting import (
    format_date,
    format_datetime,
    format_number,
    locale_of,
)
from spinewise.i18n.languages import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    negotiate_language,
    parse_language,
    parse_languages,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LOCALE_DIR",
    "SUPPORTED_LANGUAGES",
    "Translator",
    "catalogue_path",
    "format_date",
    "format_datetime",
    "format_number",
    "gettext",
    "locale_of",
    "negotiate_language",
    "ngettext",
    "parse_language",
    "parse_languages",
    "translations",
]
