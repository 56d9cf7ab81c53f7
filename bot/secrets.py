"""Secrets for the doors: an env var of the secret's own name locally, SSM Parameter Store in the cloud.

`SLACK_SIGNING_SECRET=...` in the environment wins (local stack, tests). Otherwise
`SLACK_SIGNING_SECRET_PARAM=/punchclock/slack/signing-secret` names a SecureString
that Powertools fetches, decrypts and caches. Neither: None, and the caller fails closed.
Values are never logged.
"""

from __future__ import annotations

import os

CACHE_SECONDS = 300


def get_secret(name: str) -> str | None:
    value = os.environ.get(name)
    if value:
        return value
    param = os.environ.get(f"{name}_PARAM")
    if not param:
        return None
    from aws_lambda_powertools.utilities import parameters  # deferred: only cloud deployments pay for it

    try:
        fetched = parameters.get_parameter(param, decrypt=True, max_age=CACHE_SECONDS)
    except parameters.exceptions.GetParameterError:
        return None
    return str(fetched) if fetched else None
