"""A questionnaire link's address and its QR code, the same for the CLI, the web
pages, the API and e-mails (the route is the web app's ``/q/{token}``)."""

from __future__ import annotations

import segno

LINK_ROUTE = "/q/"


def questionnaire_url(public_url: str, token: str) -> str:
    """The full address a patient opens: ``SPINEWISE_PUBLIC_URL`` + ``/q/<token>``."""
    return f"{public_url.rstrip('/')}{LINK_ROUTE}{token}"


def qr_svg(url: str) -> str:
    """The address as an inline SVG QR code (for a tablet or phone in the clinic);
    the page around it names it (``role="img"`` with a label)."""
    return str(segno.make(url, error="m").svg_inline(scale=4, light="white"))
