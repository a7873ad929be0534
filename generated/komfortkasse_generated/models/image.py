"""Image: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self

from attrs import define as _define
from attrs import field as _field

from .. import _wire as _w
from ..types import UNSET, File, Unset
from .image_format import ImageFormat
from .image_type import ImageType

__all__ = ["Image"]

_ = (datetime, Decimal, File)  # every model module imports the same names


@_define(repr=False)
class Image:
    """Image (e.g. QR code or payment slip) for an order.

    Attributes:
        type_ (ImageType | str, optional): Image type: - `QRCODE` — EPC QR Code (GiroCode) - `PAYMENTSLIP` — payment slip
            (Germany: "Überweisungsträger", Austria: "Zahlschein", Switzerland:
            "Einzahlungsschein") - `PAYMENTSLIPPRINT` — a payment slip that you can print
            yourself (currently only available for QR Invoice in Switzerland)
        format_ (ImageFormat | str, optional): Image format. Always `png`.
        data (str, optional): Base64 encoded image data.
    """

    type_: ImageType | str | Unset = UNSET
    format_: ImageFormat | str | Unset = UNSET
    data: str | Unset = UNSET
    additional_properties: dict[str, Any] = _field(init=False, factory=dict)

    #: JSON names of the fields the server sets (``readOnly`` in the spec).
    __read_only__: ClassVar[frozenset[str]] = frozenset({})
    #: Python names of the decimal (money) fields.
    __decimal_fields__: ClassVar[tuple[str, ...]] = ()
    #: Python names of the fields that hold models (or lists of them).
    __nested__: ClassVar[tuple[str, ...]] = ()
    #: Python names of the fields whose values ``to_dict`` passes on unchecked.
    __free__: ClassVar[tuple[str, ...]] = ()
    #: Python name -> JSON name of every field.
    __wire_names__: ClassVar[dict[str, str]] = {
        "type_": "type",
        "format_": "format",
        "data": "data",
    }

    def to_dict(self) -> dict[str, Any]:
        """The model as the API's JSON object (unknown fields kept); a value of
        the wrong type raises :class:`~komfortkasse_generated._wire.WireError`."""
        _d: dict[str, Any] = dict(self.additional_properties)
        _unset = UNSET
        _v = self.type_
        if _v is not _unset:
            if type(_v) is str:
                _d["type"] = _v
            elif isinstance(_v, ImageType):
                _d["type"] = (
                    _v._value_
                )  # the member's value without the enum descriptor
            elif isinstance(_v, str):
                _d["type"] = str(_v)
            else:
                raise _w.WireError(
                    "ImageType or str",
                    _w.describe(_v),
                    (("type", "type_"),),
                    direction="write",
                )

        _v = self.format_
        if _v is not _unset:
            if type(_v) is str:
                _d["format"] = _v
            elif isinstance(_v, ImageFormat):
                _d["format"] = (
                    _v._value_
                )  # the member's value without the enum descriptor
            elif isinstance(_v, str):
                _d["format"] = str(_v)
            else:
                raise _w.WireError(
                    "ImageFormat or str",
                    _w.describe(_v),
                    (("format", "format_"),),
                    direction="write",
                )

        _v = self.data
        if _v is not _unset:
            if not isinstance(_v, str):
                raise _w.WireError(
                    "str", _w.describe(_v), (("data", "data"),), direction="write"
                )
            _d["data"] = _v

        return _d

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build the model from the API's JSON object, checking every value.

        Raises :class:`~komfortkasse_generated._wire.WireError` (a ``ValueError``)
        naming the field for a missing required field or a value of the wrong
        type; unknown fields land in ``additional_properties``.
        """
        _d = src_dict if type(src_dict) is dict else _w.as_mapping(src_dict)
        _get = _d.get
        _unset = UNSET
        type_ = _get("type", _unset)
        if type(type_) is str:
            type_ = ImageType._value2member_map_.get(type_, type_)
        elif type_ is not _unset:
            raise _w.WireError("string", _w.describe(type_), (("type", "type_"),))

        format_ = _get("format", _unset)
        if type(format_) is str:
            format_ = ImageFormat._value2member_map_.get(format_, format_)
        elif format_ is not _unset:
            raise _w.WireError("string", _w.describe(format_), (("format", "format_"),))

        data = _get("data", _unset)
        if type(data) is not str and data is not _unset:
            raise _w.WireError("string", _w.describe(data), (("data", "data"),))

        # Positional when building this very class (a third of the keyword call's cost).
        if cls is Image:
            _obj = cls(
                type_,
                format_,
                data,
            )
        else:
            _obj = cls(
                type_=type_,
                format_=format_,
                data=data,
            )
        if not _KNOWN.issuperset(_d):
            _obj.additional_properties = {
                k: v for k, v in _d.items() if k not in _KNOWN
            }
        return _obj

    def to_json(self) -> str:
        """The model as compact JSON text (decimals exact, dates ``dd-MM-yyyy``)."""
        return _w.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        """Parse JSON text (decimals read exactly) and build the model strictly."""
        return cls.from_dict(_w.loads(text))

    def __repr__(self) -> str:
        return _w.model_repr(self, _FIELDS)

    @property
    def additional_keys(self) -> list[str]:
        """Names of the fields the spec does not know (kept as they came)."""
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


_FIELDS: tuple[str, ...] = (
    "type_",
    "format_",
    "data",
)
_KNOWN: frozenset[str] = frozenset(
    {
        "type",
        "format",
        "data",
    }
)
