"""GET /receipts/upload/{token}: the one-time receipt upload page a text links to.

A small page that works on a phone browser: a photo form and a PDF form, each a presigned S3
POST limited to its type and to 5 MB. S3 sends the browser back here with `?done=1`; then we check
what arrived, link it to the expense and spend the token. Every value on the page is escaped; the
page sends no referrer (the token is in its URL) and allows no script but its own line.
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any
from urllib.parse import urlsplit

from aws_lambda_powertools import Logger

from bot.sms import wiring
from bot.sms.uploads import UPLOAD_PATH, Completion, PendingUpload, complete_upload, pending_upload
from core.catalogue import DEFAULT_LANGUAGE, phrase

logger = Logger()

FORM_SECONDS = 3600  # the form's own lifetime; reopening the link within its 24 h makes a fresh one

# Photos come in many types (jpeg, heic, png): tell S3 the one the phone chose.
_SCRIPT = (
    "document.querySelectorAll('input[type=file]').forEach(function(i){i.addEventListener('change',function(){"
    "var t=i.files[0]&&i.files[0].type,f=i.form.elements['Content-Type'];"
    "if(t&&t.indexOf('image/')===0&&f.value.indexOf('image/')===0){f.value=t;}});});"
)
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:28rem;margin:1.5rem auto;padding:0 1rem;line-height:1.4}"
    "form{margin:1rem 0}input[type=file]{display:block;margin:.5rem 0;font-size:1rem}"
    "button{font-size:1.1rem;padding:.6rem 1.2rem}.note{color:#a00}"
)

# The page's words are the catalogue's `page.*` (core/catalogue/en.py).
MESSAGES = {
    Completion.NOTHING_YET: "page.upload.nothing_yet",
    Completion.REFUSED: "page.upload.refused",
}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _said(key: str) -> str:
    """The catalogue's words for `key`, escaped, as a paragraph."""
    return f"<p>{_e(phrase(key))}</p>"


def _try_again() -> str:
    return (
        _said("page.retry.text")
        + f'<p><a href="?done=1">{_e(phrase("page.retry.link"))}</a> {_e(phrase("page.retry.when"))}</p>'
    )


def _page(
    status: int, title: str, body: str, form_action: str | None = None, retry_after: int | None = None
) -> dict[str, Any]:
    action = f" form-action {form_action};" if form_action else " form-action 'none';"
    policy = (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}';"
        f"{action} base-uri 'none'; frame-ancestors 'none'"
    )
    document = (
        f'<!doctype html><html lang="{DEFAULT_LANGUAGE}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{_e(title)}</h1>{body}</body></html>"
    )
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": policy,
    }
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return {"statusCode": status, "headers": headers, "body": document}


def _form(url: str, fields: dict[str, str], accept: str, label: str) -> str:
    hidden = "".join(f'<input type="hidden" name="{_e(k)}" value="{_e(v)}">' for k, v in fields.items())
    return (
        f'<form method="post" action="{_e(url)}" enctype="multipart/form-data">{hidden}'
        f'<input type="file" name="file" accept="{_e(accept)}" required>'
        f'<button type="submit">{_e(label)}</button></form>'
    )


def _upload_page(door: wiring.Door, base: str, upload: PendingUpload, note: str | None = None) -> dict[str, Any]:
    assert door.receipts is not None
    back = f"{base}{UPLOAD_PATH}{upload.token}?done=1"
    photo_url, photo = door.receipts.upload_form(upload.key, True, back, FORM_SECONDS)
    pdf_url, pdf = door.receipts.upload_form(upload.key, False, back, FORM_SECONDS)
    link = upload.link
    what = phrase(
        "page.upload.for",
        amount=link.amount,
        currency=link.currency,
        category=link.category,
        spent_on=link.spent_on.isoformat(),
    )
    body = (
        (f'<p class="note">{_e(note)}</p>' if note else "")
        + f"<p>{_e(what)}</p>"
        + _form(photo_url, photo, "image/*", phrase("page.upload.photo"))
        + _said("page.upload.or_pdf")
        + _form(pdf_url, pdf, "application/pdf", phrase("page.upload.pdf"))
        + f"<script>{_SCRIPT}</script>"
    )
    origin = urlsplit(photo_url)
    return _page(200, phrase("page.upload.title"), body, form_action=f"{origin.scheme}://{origin.netloc}")


def _token(event: dict[str, Any]) -> str:
    token = (event.get("pathParameters") or {}).get("token")
    if token:
        return str(token)
    path = str(event.get("rawPath") or "")
    return path[len(UPLOAD_PATH) :] if path.startswith(UPLOAD_PATH) else ""


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method = (event.get("requestContext") or {}).get("http", {}).get("method", "GET")
    if method not in ("GET", "HEAD"):
        return _page(405, phrase("page.not_allowed.title"), _said("page.not_allowed.text"))
    door = wiring.door(wiring.Provider.AWS)
    if door.receipts is None:
        logger.error("RECEIPTS_BUCKET is not set")
        return _page(503, phrase("page.not_available.title"), _said("page.not_available.text"))
    now = door.ports.clock.now()
    upload = pending_upload(door.ports.store, _token(event), now)
    if upload is None:
        return _page(404, phrase("page.expired.title"), _said("page.expired.text"))
    logger.append_keys(expense_id=upload.expense_id)
    base = wiring.public_base_url(event, door.settings)
    if "done" not in (event.get("queryStringParameters") or {}):
        return _upload_page(door, base, upload)
    try:
        result = complete_upload(door.ports.store, door.receipts, upload, now)
    except Exception:  # S3 or DynamoDB failed mid-way: every step can run again, so the page says so
        logger.exception("receipt upload not completed")
        return _page(503, phrase("page.retry.title"), _try_again(), retry_after=30)
    logger.info("receipt upload", extra={"result": result.value})
    if result is Completion.ATTACHED:
        return _page(200, phrase("page.added.title"), _said("page.added.text"))
    if result is Completion.GONE:
        return _page(410, phrase("page.gone.title"), _said("page.gone.text"))
    return _upload_page(door, base, upload, phrase(MESSAGES[result]))
