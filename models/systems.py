"""A system: an external endpoint (rating engine, lookup, event sink) steps call."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from pydantic import AnyHttpUrl, Field, SecretStr, field_validator, model_validator
from pydantic.alias_generators import to_camel

from models.base import CamelModel, NoNul, UtcDateTime

SYSTEM_CODE = r"^[A-Za-z0-9_.-]{1,100}$"
_KAFKA = re.compile(r"^kafka://[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*/?$")


class _Strict(CamelModel):
    model_config = {**CamelModel.model_config, "extra": "forbid"}


class AuthSpec(_Strict):
    """``none``, ``bearer`` (token), ``basic`` (username, password) or ``header`` (name, value).

    ``signingSecret`` signs webhooks sent to the system (Standard Webhooks, and the
    ``X-IRX-Signature`` HMAC); ``previousSigningSecret`` signs them too while receivers
    move to a new secret (rotation).
    """

    mode: Literal["none", "bearer", "basic", "header"] = "none"
    token: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None
    name: str | None = None
    value: SecretStr | None = None
    signing_secret: SecretStr | None = None
    previous_signing_secret: SecretStr | None = None

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
        if self.previous_signing_secret is not None and self.signing_secret is None:
            raise ValueError("previousSigningSecret is rotated out after a signingSecret")
        return self

    def stored(self, seal: Callable[[str, str], str]) -> dict[str, str]:
        """The JSON kept in the config store, each secret as ``seal(field, value)`` makes it."""
        return {
            to_camel(k): (
                seal(to_camel(k), v.get_secret_value()) if isinstance(v, SecretStr) else v
            )
            for k, v in self
            if v is not None
        }


# The stored (camelCase) names of AuthSpec's secret fields: sealed at rest, never shown.
AUTH_SECRETS = frozenset(
    to_camel(name)
    for name, field in AuthSpec.model_fields.items()
    if field.annotation == (SecretStr | None)
)


class BreakerSettings(_Strict):
    """A system's ``circuitBreaker`` settings."""

    enabled: bool = True
    failure_threshold: int = Field(5, ge=1, le=1000)
    reset_timeout_s: float = Field(30.0, gt=0, le=3600)


class SystemBase(CamelModel):
    name: str = Field(min_length=1, max_length=255)
    kind: Literal["rating_engine", "enrichment", "event_sink", "source"]
    protocol: Literal["json", "xml"] = "json"
    base_url: str = Field(
        max_length=1000,
        pattern=r"^(https?://[^\s/?#]+[^\s]*|kafka://[A-Za-z0-9.,:-]+/?)$",
        description="http(s)://host[:port][/path], or kafka://host:port[,...].",
    )
    auth: AuthSpec = Field(default_factory=AuthSpec)
    timeout_ms: int = Field(10_000, ge=10, le=600_000)
    circuit_breaker: BreakerSettings = Field(default_factory=BreakerSettings)
    simulation: bool = Field(
        True,
        description="Whether simulations (a draft tried, a re-rating, an impact analysis, a "
        "challenger) may call this system; false refuses them with SIMULATION_REFUSED.",
    )
    simulation_base_url: str | None = Field(
        None,
        max_length=1000,
        description="Where simulations call instead of baseUrl (a test region); unset: baseUrl.",
    )
    simulation_max_concurrency: int | None = Field(
        None,
        ge=1,
        le=10_000,
        description="Simulated calls at once per worker process (unset: unbounded); the "
        "others wait their turn, so an impact analysis never floods the engine.",
    )

    @field_validator("base_url", "simulation_base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or _KAFKA.match(value):
            return value
        url = AnyHttpUrl(value)
        if url.username or url.password:
            raise ValueError("credentials belong in auth, never in the URL (it is shown)")
        return str(url)

    def hosts(self) -> list[str]:
        """The hosts the URLs name (several for a Kafka cluster)."""
        hosts = []
        for value in (self.base_url, self.simulation_base_url):
            if value is None:
                continue
            if value.startswith("kafka://"):
                brokers = value.removeprefix("kafka://").rstrip("/").split(",")
                hosts += [broker.rsplit(":", 1)[0] for broker in brokers]
            else:
                hosts.append(AnyHttpUrl(value).host or "")
        return hosts


class System(SystemBase):
    """A system as steps see it at run time (auth secrets included)."""

    code: str = Field(pattern=SYSTEM_CODE)


class SystemCreate(System, NoNul):
    pass


class SystemWrite(SystemBase, NoNul):
    """A replacement of a system (its code is in the path)."""


class SystemPublic(CamelModel):
    """A system as the API shows it: no auth secrets."""

    id: str
    code: str
    name: str
    kind: str
    protocol: str
    base_url: str
    auth_mode: str
    timeout_ms: int
    circuit_breaker: BreakerSettings
    simulation: bool = True
    simulation_base_url: str | None = None
    simulation_max_concurrency: int | None = None
    created_at: UtcDateTime
