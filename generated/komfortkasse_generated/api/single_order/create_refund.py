from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.refund import Refund
from ...models.refund_read import RefundRead
from ...types import Response


def _get_kwargs(
    order_number: str,
    *,
    body: Refund,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/order/{order_number}/refund".format(
            order_number=quote(str(order_number), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | RefundRead | None:
    if response.status_code == 200:
        response_200 = RefundRead.from_dict(response.json())

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
) -> Response[Error | RefundRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    order_number: str,
    *,
    client: AuthenticatedClient | Client,
    body: Refund,
) -> Response[Error | RefundRead]:
    """Create a refund for an order

     Create a refund (bank transfer back to the customer) for an existing order.

    - `plannedDate` must be in the future (the date the bank transfer should be initiated).
    - If the customer's bank details are not yet known, the refund starts in status
    `BANKDETAILS_MISSING` and Komfortkasse asks the customer to provide their IBAN. Once received, it
    transitions to `NEW` and is executed at `plannedDate`.
    - `externalReference` is your own reference (e.g. RMA number) and must be unique per shop. Re-using
    a reference of an existing refund returns an error.

    See also [Refunds](https://komfortkasse.freshdesk.com/support/solutions/articles/14000152280).

    Args:
        order_number (str):
        body (Refund): Refund definition (request payload).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RefundRead]
    """

    kwargs = _get_kwargs(
        order_number=order_number,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    order_number: str,
    *,
    client: AuthenticatedClient | Client,
    body: Refund,
) -> Error | RefundRead | None:
    """Create a refund for an order

     Create a refund (bank transfer back to the customer) for an existing order.

    - `plannedDate` must be in the future (the date the bank transfer should be initiated).
    - If the customer's bank details are not yet known, the refund starts in status
    `BANKDETAILS_MISSING` and Komfortkasse asks the customer to provide their IBAN. Once received, it
    transitions to `NEW` and is executed at `plannedDate`.
    - `externalReference` is your own reference (e.g. RMA number) and must be unique per shop. Re-using
    a reference of an existing refund returns an error.

    See also [Refunds](https://komfortkasse.freshdesk.com/support/solutions/articles/14000152280).

    Args:
        order_number (str):
        body (Refund): Refund definition (request payload).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RefundRead
    """

    return sync_detailed(
        order_number=order_number,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    order_number: str,
    *,
    client: AuthenticatedClient | Client,
    body: Refund,
) -> Response[Error | RefundRead]:
    """Create a refund for an order

     Create a refund (bank transfer back to the customer) for an existing order.

    - `plannedDate` must be in the future (the date the bank transfer should be initiated).
    - If the customer's bank details are not yet known, the refund starts in status
    `BANKDETAILS_MISSING` and Komfortkasse asks the customer to provide their IBAN. Once received, it
    transitions to `NEW` and is executed at `plannedDate`.
    - `externalReference` is your own reference (e.g. RMA number) and must be unique per shop. Re-using
    a reference of an existing refund returns an error.

    See also [Refunds](https://komfortkasse.freshdesk.com/support/solutions/articles/14000152280).

    Args:
        order_number (str):
        body (Refund): Refund definition (request payload).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RefundRead]
    """

    kwargs = _get_kwargs(
        order_number=order_number,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_number: str,
    *,
    client: AuthenticatedClient | Client,
    body: Refund,
) -> Error | RefundRead | None:
    """Create a refund for an order

     Create a refund (bank transfer back to the customer) for an existing order.

    - `plannedDate` must be in the future (the date the bank transfer should be initiated).
    - If the customer's bank details are not yet known, the refund starts in status
    `BANKDETAILS_MISSING` and Komfortkasse asks the customer to provide their IBAN. Once received, it
    transitions to `NEW` and is executed at `plannedDate`.
    - `externalReference` is your own reference (e.g. RMA number) and must be unique per shop. Re-using
    a reference of an existing refund returns an error.

    See also [Refunds](https://komfortkasse.freshdesk.com/support/solutions/articles/14000152280).

    Args:
        order_number (str):
        body (Refund): Refund definition (request payload).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RefundRead
    """

    return (
        await asyncio_detailed(
            order_number=order_number,
            client=client,
            body=body,
        )
    ).parsed
