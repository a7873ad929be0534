from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    *,
    body: list[str],
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/ordersync",
    }

    _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | int | None:
    if response.status_code == 200:
        response_200 = cast(int, response.json())
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
) -> Response[Error | int]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: list[str],
) -> Response[Error | int]:
    """Sync Orders

     Send the full list of currently-open order numbers from your shop. Komfortkasse marks any of its
    open orders for this shop that are NOT in the submitted list as `LEGACY` (i.e. no longer tracked)
    and updates `lastSeen` for the rest. Returns the number of orders that were marked `LEGACY`. Allow a
    timeout of at least 10 minutes for this operation.

    ⚠️ **Warning:** You must always send the **complete** list of currently-open orders in your shop.
    Any open order not present in the list will be marked `LEGACY` and stop being tracked by
    Komfortkasse — including reminder, collection and refund processing. Sending a partial list is
    destructive.

    Args:
        body (list[str]): Order numbers of currently-open orders in your shop.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | int]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: list[str],
) -> Error | int | None:
    """Sync Orders

     Send the full list of currently-open order numbers from your shop. Komfortkasse marks any of its
    open orders for this shop that are NOT in the submitted list as `LEGACY` (i.e. no longer tracked)
    and updates `lastSeen` for the rest. Returns the number of orders that were marked `LEGACY`. Allow a
    timeout of at least 10 minutes for this operation.

    ⚠️ **Warning:** You must always send the **complete** list of currently-open orders in your shop.
    Any open order not present in the list will be marked `LEGACY` and stop being tracked by
    Komfortkasse — including reminder, collection and refund processing. Sending a partial list is
    destructive.

    Args:
        body (list[str]): Order numbers of currently-open orders in your shop.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | int
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: list[str],
) -> Response[Error | int]:
    """Sync Orders

     Send the full list of currently-open order numbers from your shop. Komfortkasse marks any of its
    open orders for this shop that are NOT in the submitted list as `LEGACY` (i.e. no longer tracked)
    and updates `lastSeen` for the rest. Returns the number of orders that were marked `LEGACY`. Allow a
    timeout of at least 10 minutes for this operation.

    ⚠️ **Warning:** You must always send the **complete** list of currently-open orders in your shop.
    Any open order not present in the list will be marked `LEGACY` and stop being tracked by
    Komfortkasse — including reminder, collection and refund processing. Sending a partial list is
    destructive.

    Args:
        body (list[str]): Order numbers of currently-open orders in your shop.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | int]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: list[str],
) -> Error | int | None:
    """Sync Orders

     Send the full list of currently-open order numbers from your shop. Komfortkasse marks any of its
    open orders for this shop that are NOT in the submitted list as `LEGACY` (i.e. no longer tracked)
    and updates `lastSeen` for the rest. Returns the number of orders that were marked `LEGACY`. Allow a
    timeout of at least 10 minutes for this operation.

    ⚠️ **Warning:** You must always send the **complete** list of currently-open orders in your shop.
    Any open order not present in the list will be marked `LEGACY` and stop being tracked by
    Komfortkasse — including reminder, collection and refund processing. Sending a partial list is
    destructive.

    Args:
        body (list[str]): Order numbers of currently-open orders in your shop.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | int
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
