from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.auth_spec_mode import AuthSpecMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="AuthSpec")


@_attrs_define
class AuthSpec:
    """``none``, ``bearer`` (token), ``basic`` (username, password) or ``header`` (name, value).

    ``signingSecret`` signs webhooks sent to the system (Standard Webhooks, and the
    ``X-IRX-Signature`` HMAC); ``previousSigningSecret`` signs them too while receivers
    move to a new secret (rotation).

        Attributes:
            mode (AuthSpecMode | Unset):  Default: AuthSpecMode.NONE.
            name (None | str | Unset):
            password (None | str | Unset):
            previous_signing_secret (None | str | Unset):
            signing_secret (None | str | Unset):
            token (None | str | Unset):
            username (None | str | Unset):
            value (None | str | Unset):
    """

    mode: AuthSpecMode | Unset = AuthSpecMode.NONE
    name: None | str | Unset = UNSET
    password: None | str | Unset = UNSET
    previous_signing_secret: None | str | Unset = UNSET
    signing_secret: None | str | Unset = UNSET
    token: None | str | Unset = UNSET
    username: None | str | Unset = UNSET
    value: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        previous_signing_secret: None | str | Unset
        if isinstance(self.previous_signing_secret, Unset):
            previous_signing_secret = UNSET
        else:
            previous_signing_secret = self.previous_signing_secret

        signing_secret: None | str | Unset
        if isinstance(self.signing_secret, Unset):
            signing_secret = UNSET
        else:
            signing_secret = self.signing_secret

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        username: None | str | Unset
        if isinstance(self.username, Unset):
            username = UNSET
        else:
            username = self.username

        value: None | str | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if mode is not UNSET:
            field_dict["mode"] = mode
        if name is not UNSET:
            field_dict["name"] = name
        if password is not UNSET:
            field_dict["password"] = password
        if previous_signing_secret is not UNSET:
            field_dict["previousSigningSecret"] = previous_signing_secret
        if signing_secret is not UNSET:
            field_dict["signingSecret"] = signing_secret
        if token is not UNSET:
            field_dict["token"] = token
        if username is not UNSET:
            field_dict["username"] = username
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _mode = d.pop("mode", UNSET)
        mode: AuthSpecMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = AuthSpecMode(_mode)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

        def _parse_previous_signing_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        previous_signing_secret = _parse_previous_signing_secret(d.pop("previousSigningSecret", UNSET))

        def _parse_signing_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        signing_secret = _parse_signing_secret(d.pop("signingSecret", UNSET))

        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))

        def _parse_username(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        username = _parse_username(d.pop("username", UNSET))

        def _parse_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        auth_spec = cls(
            mode=mode,
            name=name,
            password=password,
            previous_signing_secret=previous_signing_secret,
            signing_secret=signing_secret,
            token=token,
            username=username,
            value=value,
        )

        return auth_spec
