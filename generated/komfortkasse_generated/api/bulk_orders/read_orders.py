import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.order_read import OrderRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    max_age: str | Unset = "120",
    payment_status: str | Unset = UNSET,
    min_posting_date: datetime.date | Unset = UNSET,
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["maxAge"] = max_age

    params["paymentStatus"] = payment_status

    from komfortkasse_generated._wire import date_to_wire

    json_min_posting_date: str | Unset = UNSET
    if not isinstance(min_posting_date, Unset):
        json_min_posting_date = date_to_wire(min_posting_date, "minPostingDate")

    params["minPostingDate"] = json_min_posting_date

    params["includePostings"] = include_postings

    params["includeCollectionHistory"] = include_collection_history

    params["includePaymentReminders"] = include_payment_reminders

    params["includeRefunds"] = include_refunds

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/orders",
        "params": params,
    }

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
    max_age: str | Unset = "120",
    payment_status: str | Unset = UNSET,
    min_posting_date: datetime.date | Unset = UNSET,
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Response[Error | list[OrderRead]]:
    """Read Orders

     Read orders from Komfortkasse.

    Args:
        max_age (str | Unset):  Default: '120'.
        payment_status (str | Unset):
        min_posting_date (datetime.date | Unset):
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[OrderRead]]
    """

    kwargs = _get_kwargs(
        max_age=max_age,
        payment_status=payment_status,
        min_posting_date=min_posting_date,
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
    max_age: str | Unset = "120",
    payment_status: str | Unset = UNSET,
    min_posting_date: datetime.date | Unset = UNSET,
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Error | list[OrderRead] | None:
    """Read Orders

     Read orders from Komfortkasse.

    Args:
        max_age (str | Unset):  Default: '120'.
        payment_status (str | Unset):
        min_posting_date (datetime.date | Unset):
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[OrderRead]
    """

    return sync_detailed(
        client=client,
        max_age=max_age,
        payment_status=payment_status,
        min_posting_date=min_posting_date,
        include_postings=include_postings,
        include_collection_history=include_collection_history,
        include_payment_reminders=include_payment_reminders,
        include_refunds=include_refunds,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    max_age: str | Unset = "120",
    payment_status: str | Unset = UNSET,
    min_posting_date: datetime.date | Unset = UNSET,
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Response[Error | list[OrderRead]]:
    """Read Orders

     Read orders from Komfortkasse.

    Args:
        max_age (str | Unset):  Default: '120'.
        payment_status (str | Unset):
        min_posting_date (datetime.date | Unset):
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[OrderRead]]
    """

    kwargs = _get_kwargs(
        max_age=max_age,
        payment_status=payment_status,
        min_posting_date=min_posting_date,
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
    max_age: str | Unset = "120",
    payment_status: str | Unset = UNSET,
    min_posting_date: datetime.date | Unset = UNSET,
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Error | list[OrderRead] | None:
    """Read Orders

     Read orders from Komfortkasse.

    Args:
        max_age (str | Unset):  Default: '120'.
        payment_status (str | Unset):
        min_posting_date (datetime.date | Unset):
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[OrderRead]
    """

    return (
        await asyncio_detailed(
            client=client,
            max_age=max_age,
            payment_status=payment_status,
            min_posting_date=min_posting_date,
            include_postings=include_postings,
            include_collection_history=include_collection_history,
            include_payment_reminders=include_payment_reminders,
            include_refunds=include_refunds,
        )
    ).parsed
