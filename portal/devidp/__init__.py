"""Development identity provider: a stand-in for Suomi.fi and for the staff provider.

One process, `python -m portal.devidp`, serves both: the citizen and staff clients differ only by
client id. It is oidc_provider_mock with the demo users of portal.demo, nonce required, and
PKCE enforced by portal.devidp.pkce. Never for production: anyone can log in as anyone.
"""

from __future__ import annotations

import warnings
from datetime import timedelta

import authlib.deprecate  # noqa: F401  (it switches its own warnings to "always" on import)
from flask import Flask

with warnings.catch_warnings():
    # The mock still imports authlib's deprecated jose module: its business, not ours.
    warnings.simplefilter("ignore", DeprecationWarning)
    import oidc_provider_mock

from portal.devidp.pkce import require_pkce
from portal.devidp.users import demo_users

DEFAULT_TOKEN_MAX_AGE = timedelta(hours=1)


def create_provider(token_max_age: timedelta = DEFAULT_TOKEN_MAX_AGE) -> Flask:
    """The provider as a WSGI app; `token_max_age` bounds the access and ID tokens."""
    app = oidc_provider_mock.app(
        require_nonce=True,
        issue_refresh_token=False,  # the portal only logs in; it calls no APIs on the user's behalf
        access_token_max_age=token_max_age,
        user_claims=demo_users(),
    )
    require_pkce(app)
    return app
