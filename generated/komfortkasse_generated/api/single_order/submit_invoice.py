from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.submit_invoice_body import SubmitInvoiceBody
from ...types import Response


def _get_kwargs(
    order_number: str,
    invoice_number: str,
    *,
    body: SubmitInvoiceBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/order/{order_number}/invoice/{invoice_number}".format(
            order_number=quote(str(order_number), safe=""),
            invoice_number=quote(str(invoice_number), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Error | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    order_number: str,
    invoice_number: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitInvoiceBody,
) -> Response[Any | Error]:
    """Submit an invoice file

     Upload an invoice PDF (or similar) for an order.

    If this is the **first** invoice submitted for the order and the shop is configured to send invoices
    by letter post, this call may also trigger Komfortkasse to send the invoice to the customer as a
    physical letter. Do not call this multiple times for the same `invoiceNumber` — repeat uploads of an
    existing invoice file are silently ignored, but you should still treat the call as non-idempotent
    for triggering side effects.

    Args:
        order_number (str):
        invoice_number (str):
        body (SubmitInvoiceBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error]
    """

    kwargs = _get_kwargs(
        order_number=order_number,
        invoice_number=invoice_number,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    order_number: str,
    invoice_number: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitInvoiceBody,
) -> Any | Error | None:
    """Submit an invoice file

     Upload an invoice PDF (or similar) for an order.

    If this is the **first** invoice submitted for the order and the shop is configured to send invoices
    by letter post, this call may also trigger Komfortkasse to send the invoice to the customer as a
    physical letter. Do not call this multiple times for the same `invoiceNumber` — repeat uploads of an
    existing invoice file are silently ignored, but you should still treat the call as non-idempotent
    for triggering side effects.

    Args:
        order_number (str):
        invoice_number (str):
        body (SubmitInvoiceBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error
    """

    return sync_detailed(
        order_number=order_number,
        invoice_number=invoice_number,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    order_number: str,
    invoice_number: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitInvoiceBody,
) -> Response[Any | Error]:
    """Submit an invoice file

     Upload an invoice PDF (or similar) for an order.

    If this is the **first** invoice submitted for the order and the shop is configured to send invoices
    by letter post, this call may also trigger Komfortkasse to send the invoice to the customer as a
    physical letter. Do not call this multiple times for the same `invoiceNumber` — repeat uploads of an
    existing invoice file are silently ignored, but you should still treat the call as non-idempotent
    for triggering side effects.

    Args:
        order_number (str):
        invoice_number (str):
        body (SubmitInvoiceBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error]
    """

    kwargs = _get_kwargs(
        order_number=order_number,
        invoice_number=invoice_number,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_number: str,
    invoice_number: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitInvoiceBody,
) -> Any | Error | None:
    """Submit an invoice file

     Upload an invoice PDF (or similar) for an order.

    If this is the **first** invoice submitted for the order and the shop is configured to send invoices
    by letter post, this call may also trigger Komfortkasse to send the invoice to the customer as a
    physical letter. Do not call this multiple times for the same `invoiceNumber` — repeat uploads of an
    existing invoice file are silently ignored, but you should still treat the call as non-idempotent
    for triggering side effects.

    Args:
        order_number (str):
        invoice_number (str):
        body (SubmitInvoiceBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error
    """

    return (
        await asyncio_detailed(
            order_number=order_number,
            invoice_number=invoice_number,
            client=client,
            body=body,
        )
    ).parsed
