import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.posting_read import PostingRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    created_min: datetime.date | Unset = UNSET,
    created_max: datetime.date | Unset = UNSET,
    include_orders: bool | Unset = False,
    iban: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    from komfortkasse_generated._wire import date_to_wire

    json_created_min: str | Unset = UNSET
    if not isinstance(created_min, Unset):
        json_created_min = date_to_wire(created_min, "createdMin")

    params["createdMin"] = json_created_min

    from komfortkasse_generated._wire import date_to_wire

    json_created_max: str | Unset = UNSET
    if not isinstance(created_max, Unset):
        json_created_max = date_to_wire(created_max, "createdMax")

    params["createdMax"] = json_created_max

    params["includeOrders"] = include_orders

    params["iban"] = iban

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/postings",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[PostingRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = PostingRead.from_dict(response_200_item_data)

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
) -> Response[Error | list[PostingRead]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    created_min: datetime.date | Unset = UNSET,
    created_max: datetime.date | Unset = UNSET,
    include_orders: bool | Unset = False,
    iban: str | Unset = UNSET,
) -> Response[Error | list[PostingRead]]:
    """Read Postings

     Read bank postings (incoming payments) from Komfortkasse.

    Args:
        created_min (datetime.date | Unset):
        created_max (datetime.date | Unset):
        include_orders (bool | Unset):  Default: False.
        iban (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[PostingRead]]
    """

    kwargs = _get_kwargs(
        created_min=created_min,
        created_max=created_max,
        include_orders=include_orders,
        iban=iban,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    created_min: datetime.date | Unset = UNSET,
    created_max: datetime.date | Unset = UNSET,
    include_orders: bool | Unset = False,
    iban: str | Unset = UNSET,
) -> Error | list[PostingRead] | None:
    """Read Postings

     Read bank postings (incoming payments) from Komfortkasse.

    Args:
        created_min (datetime.date | Unset):
        created_max (datetime.date | Unset):
        include_orders (bool | Unset):  Default: False.
        iban (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[PostingRead]
    """

    return sync_detailed(
        client=client,
        created_min=created_min,
        created_max=created_max,
        include_orders=include_orders,
        iban=iban,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    created_min: datetime.date | Unset = UNSET,
    created_max: datetime.date | Unset = UNSET,
    include_orders: bool | Unset = False,
    iban: str | Unset = UNSET,
) -> Response[Error | list[PostingRead]]:
    """Read Postings

     Read bank postings (incoming payments) from Komfortkasse.

    Args:
        created_min (datetime.date | Unset):
        created_max (datetime.date | Unset):
        include_orders (bool | Unset):  Default: False.
        iban (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[PostingRead]]
    """

    kwargs = _get_kwargs(
        created_min=created_min,
        created_max=created_max,
        include_orders=include_orders,
        iban=iban,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    created_min: datetime.date | Unset = UNSET,
    created_max: datetime.date | Unset = UNSET,
    include_orders: bool | Unset = False,
    iban: str | Unset = UNSET,
) -> Error | list[PostingRead] | None:
    """Read Postings

     Read bank postings (incoming payments) from Komfortkasse.

    Args:
        created_min (datetime.date | Unset):
        created_max (datetime.date | Unset):
        include_orders (bool | Unset):  Default: False.
        iban (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[PostingRead]
    """

    return (
        await asyncio_detailed(
            client=client,
            created_min=created_min,
            created_max=created_max,
            include_orders=include_orders,
            iban=iban,
        )
    ).parsed
