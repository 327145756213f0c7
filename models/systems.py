"""How a system is reached: its auth and circuit-breaker settings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic.alias_generators import to_camel


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class AuthSpec(_Model):
    """``none``, ``bearer`` (token), ``basic`` (username, password) or ``header`` (name, value).

    ``signingSecret`` signs webhooks sent to the system (HMAC-SHA256).
    """

    mode: Literal["none", "bearer", "basic", "header"] = "none"
    token: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None
    name: str | None = None
    value: SecretStr | None = None
    signing_secret: SecretStr | None = None

    @model_validator(mode="after")
    def _complete(self) -> AuthSpec:
        needed = {
            "bearer": ("token",),
            "basic": ("username", "password"),
            "header": ("name", "value"),
        }
        missing = [f for f in needed.get(self.mode, ()) if getattr(self, f) is None]
        if missing:
            raise ValueError(f"auth mode '{self.mode}' needs {', '.join(missing)}")
        return self

    def stored(self) -> dict[str, str]:
        """The JSON kept in the config store (secrets in clear: encrypt the database at rest)."""
        return {
            to_camel(k): (v.get_secret_value() if isinstance(v, SecretStr) else v)
            for k, v in self
            if v is not None
        }


class BreakerSettings(_Model):
    """A system's ``circuitBreaker`` settings."""

    enabled: bool = True
    failure_threshold: int = Field(5, ge=1, le=1000)
    reset_timeout_s: float = Field(30.0, gt=0, le=3600)
