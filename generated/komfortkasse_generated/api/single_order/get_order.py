from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.order_read import OrderRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    order_number: str,
    *,
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["includePostings"] = include_postings

    params["includeCollectionHistory"] = include_collection_history

    params["includePaymentReminders"] = include_payment_reminders

    params["includeRefunds"] = include_refunds

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/order/{order_number}".format(
            order_number=quote(str(order_number), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | OrderRead | None:
    if response.status_code == 200:
        response_200 = OrderRead.from_dict(response.json())

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
) -> Response[Error | OrderRead]:
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
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Response[Error | OrderRead]:
    """Get Order Details

     Read details of a single order from Komfortkasse.

    The following fields in the response are read-only (set by Komfortkasse, not by the merchant):
    `paymentStatus`, `referenceNumber`, `bankAccount`, `dunningLevel`, `amountPaid`, `postings`,
    `collectionPartner`, `collectionFile`, `collectionStatus`, `collectionHistory`, `paymentReminders`,
    `refunds`, `hasBankDetailsForRefund`.

    Args:
        order_number (str):
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OrderRead]
    """

    kwargs = _get_kwargs(
        order_number=order_number,
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
    order_number: str,
    *,
    client: AuthenticatedClient | Client,
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Error | OrderRead | None:
    """Get Order Details

     Read details of a single order from Komfortkasse.

    The following fields in the response are read-only (set by Komfortkasse, not by the merchant):
    `paymentStatus`, `referenceNumber`, `bankAccount`, `dunningLevel`, `amountPaid`, `postings`,
    `collectionPartner`, `collectionFile`, `collectionStatus`, `collectionHistory`, `paymentReminders`,
    `refunds`, `hasBankDetailsForRefund`.

    Args:
        order_number (str):
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OrderRead
    """

    return sync_detailed(
        order_number=order_number,
        client=client,
        include_postings=include_postings,
        include_collection_history=include_collection_history,
        include_payment_reminders=include_payment_reminders,
        include_refunds=include_refunds,
    ).parsed


async def asyncio_detailed(
    order_number: str,
    *,
    client: AuthenticatedClient | Client,
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Response[Error | OrderRead]:
    """Get Order Details

     Read details of a single order from Komfortkasse.

    The following fields in the response are read-only (set by Komfortkasse, not by the merchant):
    `paymentStatus`, `referenceNumber`, `bankAccount`, `dunningLevel`, `amountPaid`, `postings`,
    `collectionPartner`, `collectionFile`, `collectionStatus`, `collectionHistory`, `paymentReminders`,
    `refunds`, `hasBankDetailsForRefund`.

    Args:
        order_number (str):
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OrderRead]
    """

    kwargs = _get_kwargs(
        order_number=order_number,
        include_postings=include_postings,
        include_collection_history=include_collection_history,
        include_payment_reminders=include_payment_reminders,
        include_refunds=include_refunds,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_number: str,
    *,
    client: AuthenticatedClient | Client,
    include_postings: bool | Unset = False,
    include_collection_history: bool | Unset = False,
    include_payment_reminders: bool | Unset = False,
    include_refunds: bool | Unset = False,
) -> Error | OrderRead | None:
    """Get Order Details

     Read details of a single order from Komfortkasse.

    The following fields in the response are read-only (set by Komfortkasse, not by the merchant):
    `paymentStatus`, `referenceNumber`, `bankAccount`, `dunningLevel`, `amountPaid`, `postings`,
    `collectionPartner`, `collectionFile`, `collectionStatus`, `collectionHistory`, `paymentReminders`,
    `refunds`, `hasBankDetailsForRefund`.

    Args:
        order_number (str):
        include_postings (bool | Unset):  Default: False.
        include_collection_history (bool | Unset):  Default: False.
        include_payment_reminders (bool | Unset):  Default: False.
        include_refunds (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OrderRead
    """

    return (
        await asyncio_detailed(
            order_number=order_number,
            client=client,
            include_postings=include_postings,
            include_collection_history=include_collection_history,
            include_payment_reminders=include_payment_reminders,
            include_refunds=include_refunds,
        )
    ).parsed
