from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.image import Image
from ...models.image_type import ImageType
from ...types import UNSET, Response, Unset


def _get_kwargs(
    order_number: str,
    *,
    type_: ImageType | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_type_: str | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_.value

    params["type"] = json_type_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/image/{order_number}".format(
            order_number=quote(str(order_number), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Image | None:
    if response.status_code == 200:
        response_200 = Image.from_dict(response.json())

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
) -> Response[Error | Image]:
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
    type_: ImageType | Unset = UNSET,
) -> Response[Error | Image]:
    """Get Image

     Get a payment-related image (QR code, payment slip) for an order.

    Args:
        order_number (str):
        type_ (ImageType | Unset): Image type:
            - `QRCODE` — EPC QR Code (GiroCode)
            - `PAYMENTSLIP` — payment slip (Germany: "Überweisungsträger", Austria: "Zahlschein",
            Switzerland: "Einzahlungsschein")
            - `PAYMENTSLIPPRINT` — a payment slip that you can print yourself (currently only
            available for QR Invoice in Switzerland)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Image]
    """

    kwargs = _get_kwargs(
        order_number=order_number,
        type_=type_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    order_number: str,
    *,
    client: AuthenticatedClient | Client,
    type_: ImageType | Unset = UNSET,
) -> Error | Image | None:
    """Get Image

     Get a payment-related image (QR code, payment slip) for an order.

    Args:
        order_number (str):
        type_ (ImageType | Unset): Image type:
            - `QRCODE` — EPC QR Code (GiroCode)
            - `PAYMENTSLIP` — payment slip (Germany: "Überweisungsträger", Austria: "Zahlschein",
            Switzerland: "Einzahlungsschein")
            - `PAYMENTSLIPPRINT` — a payment slip that you can print yourself (currently only
            available for QR Invoice in Switzerland)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Image
    """

    return sync_detailed(
        order_number=order_number,
        client=client,
        type_=type_,
    ).parsed


async def asyncio_detailed(
    order_number: str,
    *,
    client: AuthenticatedClient | Client,
    type_: ImageType | Unset = UNSET,
) -> Response[Error | Image]:
    """Get Image

     Get a payment-related image (QR code, payment slip) for an order.

    Args:
        order_number (str):
        type_ (ImageType | Unset): Image type:
            - `QRCODE` — EPC QR Code (GiroCode)
            - `PAYMENTSLIP` — payment slip (Germany: "Überweisungsträger", Austria: "Zahlschein",
            Switzerland: "Einzahlungsschein")
            - `PAYMENTSLIPPRINT` — a payment slip that you can print yourself (currently only
            available for QR Invoice in Switzerland)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Image]
    """

    kwargs = _get_kwargs(
        order_number=order_number,
        type_=type_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_number: str,
    *,
    client: AuthenticatedClient | Client,
    type_: ImageType | Unset = UNSET,
) -> Error | Image | None:
    """Get Image

     Get a payment-related image (QR code, payment slip) for an order.

    Args:
        order_number (str):
        type_ (ImageType | Unset): Image type:
            - `QRCODE` — EPC QR Code (GiroCode)
            - `PAYMENTSLIP` — payment slip (Germany: "Überweisungsträger", Austria: "Zahlschein",
            Switzerland: "Einzahlungsschein")
            - `PAYMENTSLIPPRINT` — a payment slip that you can print yourself (currently only
            available for QR Invoice in Switzerland)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Image
    """

    return (
        await asyncio_detailed(
            order_number=order_number,
            client=client,
            type_=type_,
        )
    ).parsed
