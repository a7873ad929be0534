from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.order_read import OrderRead
from ...models.order_write_with_number import OrderWriteWithNumber
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: list[OrderWriteWithNumber],
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["includePostings"] = include_postings

    params["includeCollectionHistory"] = include_collection_history

    params["includePaymentReminders"] = include_payment_reminders

    params["includeRefunds"] = include_refunds

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/orders",
        "params": params,
    }

    _kwargs["json"] = []
    for body_item_data in body:
        body_item = body_item_data.to_dict()
        _kwargs["json"].append(body_item)

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[OrderRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = OrderRead.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Error | list[OrderRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: list[OrderWriteWithNumber],
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Response[Error | list[OrderRead]]:
    """Submit Orders

     Submit multiple orders to Komfortkasse.

    It is recommended to periodically (e.g. once per day) send all open orders to Komfortkasse in order
    to update any data that might have been changed (e.g., amount change, change of email address,
    etc.).

    If you have a large amount of orders to send (more than 100), please split this call into multiple
    calls to avoid timeout errors.

    Args:
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.
        body (list[OrderWriteWithNumber]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[OrderRead]]
    """

    kwargs = _get_kwargs(
        body=body,
        include_postings=include_postings,
        include_collection_history=include_collection_history,
        include_payment_reminders=include_payment_reminders,
        include_refunds=include_refunds,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: list[OrderWriteWithNumber],
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Error | list[OrderRead] | None:
    """Submit Orders

     Submit multiple orders to Komfortkasse.

    It is recommended to periodically (e.g. once per day) send all open orders to Komfortkasse in order
    to update any data that might have been changed (e.g., amount change, change of email address,
    etc.).

    If you have a large amount of orders to send (more than 100), please split this call into multiple
    calls to avoid timeout errors.

    Args:
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.
        body (list[OrderWriteWithNumber]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[OrderRead]
    """

    return sync_detailed(
        client=client,
        body=body,
        include_postings=include_postings,
        include_collection_history=include_collection_history,
        include_payment_reminders=include_payment_reminders,
        include_refunds=include_refunds,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: list[OrderWriteWithNumber],
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Response[Error | list[OrderRead]]:
    """Submit Orders

     Submit multiple orders to Komfortkasse.

    It is recommended to periodically (e.g. once per day) send all open orders to Komfortkasse in order
    to update any data that might have been changed (e.g., amount change, change of email address,
    etc.).

    If you have a large amount of orders to send (more than 100), please split this call into multiple
    calls to avoid timeout errors.

    Args:
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.
        body (list[OrderWriteWithNumber]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[OrderRead]]
    """

    kwargs = _get_kwargs(
        body=body,
        include_postings=include_postings,
        include_collection_history=include_collection_history,
        include_payment_reminders=include_payment_reminders,
        include_refunds=include_refunds,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: list[OrderWriteWithNumber],
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Error | list[OrderRead] | None:
    """Submit Orders

     Submit multiple orders to Komfortkasse.

    It is recommended to periodically (e.g. once per day) send all open orders to Komfortkasse in order
    to update any data that might have been changed (e.g., amount change, change of email address,
    etc.).

    If you have a large amount of orders to send (more than 100), please split this call into multiple
    calls to avoid timeout errors.

    Args:
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.
        body (list[OrderWriteWithNumber]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[OrderRead]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            include_postings=include_postings,
            include_collection_history=include_collection_history,
            include_payment_reminders=include_payment_reminders,
            include_refunds=include_refunds,
        )
    ).parsed
