"""Everything a Punchclock process is configured with, read and validated once per container.

The environment variables are declared in infra/template.yaml (the one place they are set) and
read only here. Secrets are never environment values in the cloud: `SLACK_BOT_TOKEN_PARAM`
names an SSM SecureString that `secret("SLACK_BOT_TOKEN")` fetches through Powertools (decrypted,
cached five minutes); locally and in tests the value may be set directly as `SLACK_BOT_TOKEN`.
A door asks for the secrets it cannot work without with `require`, and refuses every request
with one log line naming what is missing (fail closed). Values are never logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLACK_API = "https://slack.com/api/"
TWILIO_API = "https://api.twilio.com"
SECRET_CACHE_SECONDS = 300

# Secrets, by the name of their env var (`<NAME>_PARAM` names their SSM parameter instead).
SLACK_SIGNING_SECRET = "SLACK_SIGNING_SECRET"
SLACK_BOT_TOKEN = "SLACK_BOT_TOKEN"
TWILIO_ACCOUNT_SID = "TWILIO_ACCOUNT_SID"
TWILIO_AUTH_TOKEN = "TWILIO_AUTH_TOKEN"
TWILIO_FROM = "TWILIO_FROM"  # a number or a Messaging Service SID (MG...); not secret, but may live in SSM
SMS_ORIGINATION_NUMBER = "SMS_ORIGINATION_NUMBER"
SECRETS = (
    SLACK_SIGNING_SECRET,
    SLACK_BOT_TOKEN,
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_FROM,
    SMS_ORIGINATION_NUMBER,
)
# Set only off the cloud (the local stack, the CLI on its file): the template's functions keep
# the default, DynamoDB, and so declare neither.
LOCAL_ONLY = ("STORE", "SQLITE_PATH")


class Settings(BaseModel):
    """The configuration of one process (one Lambda container, the CLI, the local stack)."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    # Where the store keeps its items: DynamoDB's TABLE_NAME (every deployed function), or one
    # SQLite file at SQLITE_PATH with STORE=sqlite (the local stack's default, core/store/sqlite.py).
    store: Literal["dynamodb", "sqlite"] = Field("dynamodb", alias="STORE")
    table_name: str = Field("", alias="TABLE_NAME")
    sqlite_path: str = Field("", alias="SQLITE_PATH")
    receipts_bucket: str | None = Field(None, alias="RECEIPTS_BUCKET")
    # The API's public URL as Twilio and browsers see it; empty: the API's own execute-api URL.
    public_base_url: str = Field("", alias="PUBLIC_BASE_URL")
    sms_provider: Literal["twilio", "aws"] = Field("twilio", alias="SMS_PROVIDER")
    slack_api_url: str = Field(SLACK_API, alias="SLACK_API_URL")
    twilio_api_url: str = Field(TWILIO_API, alias="TWILIO_API_URL")
    sender_email: str | None = Field(None, alias="SENDER_EMAIL")  # None: nothing is emailed
    region: str | None = Field(None, alias="AWS_REGION")
    # Secret values given directly (local stack, tests) and the SSM names of the others.
    secret_values: dict[str, str] = Field(default_factory=dict, repr=False)
    secret_params: dict[str, str] = Field(default_factory=dict)

    @field_validator("receipts_bucket", "sender_email", "region", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None

    @field_validator("public_base_url", mode="before")
    @classmethod
    def _no_trailing_slash(cls, value: object) -> object:
        return str(value or "").rstrip("/")

    @field_validator("store", mode="before")
    @classmethod
    def _store(cls, value: object) -> object:
        return str(value or "dynamodb").strip().lower()

    @model_validator(mode="after")
    def _store_is_named(self) -> Settings:
        if self.store == "dynamodb" and not self.table_name:
            raise ValueError("TABLE_NAME is required (the DynamoDB table)")
        if self.store == "sqlite" and not self.sqlite_path:
            raise ValueError("SQLITE_PATH is required with STORE=sqlite (the database file)")
        return self

    @field_validator("sms_provider", mode="before")
    @classmethod
    def _provider(cls, value: object) -> object:
        return str(value or "twilio").strip().lower()

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """The settings in `environ` (raises pydantic's ValidationError naming what is wrong)."""
        values = {name: environ[name] for name in SECRETS if environ.get(name)}
        params = {name: environ[f"{name}_PARAM"] for name in SECRETS if environ.get(f"{name}_PARAM")}
        fields = {k: v for k, v in environ.items() if k in _ALIASES}
        if "AWS_REGION" not in fields and environ.get("AWS_DEFAULT_REGION"):
            fields["AWS_REGION"] = environ["AWS_DEFAULT_REGION"]
        return cls.model_validate({**fields, "secret_values": values, "secret_params": params})

    def secret(self, name: str) -> str | None:
        """The secret's value, or None when it is neither given nor fetchable (the caller fails closed)."""
        if name in self.secret_values:
            return self.secret_values[name]
        param = self.secret_params.get(name)
        return _fetch_parameter(param) if param else None

    def has_secret(self, name: str) -> bool:
        """Whether the secret is configured at all (without fetching it)."""
        return name in self.secret_values or name in self.secret_params

    def require(self, *names: str) -> dict[str, str] | list[str]:
        """The values of `names`, or the list of those missing."""
        found = {name: self.secret(name) for name in names}
        missing = [name for name, value in found.items() if not value]
        return missing or {name: value for name, value in found.items() if value}


_ALIASES = {field.alias for field in Settings.model_fields.values() if field.alias}


def _fetch_parameter(name: str) -> str | None:
    from aws_lambda_powertools.utilities import parameters  # deferred: only cloud deployments pay for it

    try:
        fetched = parameters.get_parameter(name, decrypt=True, max_age=SECRET_CACHE_SECONDS)
    except parameters.exceptions.GetParameterError:
        return None
    return str(fetched) if fetched else None
