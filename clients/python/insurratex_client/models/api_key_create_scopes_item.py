from enum import StrEnum


class ApiKeyCreateScopesItem(StrEnum):
    ADMIN = "admin"
    CONFIGREAD = "config:read"
    CONFIGWRITE = "config:write"
    OPS = "ops"
    RATE = "rate"

    def __str__(self) -> str:
        return str(self.value)
