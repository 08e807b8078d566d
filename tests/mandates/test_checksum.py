"""The checksum header, pinned against a vector computed outside Python."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from portal.mandates import checksum_header

# Inputs of the pinned vector:
#   client id  tyokykyportti
#   API key    dev-api-key
#   path       /service/hpa/user/register/tyokykyportti/110573-957U
#              ?requestId=00000000-0000-4000-8000-000000000001   (one string, no line break)
#   timestamp  2026-11-23T18:40:00+00:00
# Computed by hand with OpenSSL, not with the code under test:
#   printf '%s' '<path> <timestamp>' \
#     | openssl dgst -sha256 -hmac 'dev-api-key' -binary | base64
PATH = (
    "/service/hpa/user/register/tyokykyportti/110573-957U"
    "?requestId=00000000-0000-4000-8000-000000000001"
)
EXPECTED = "tyokykyportti 2026-11-23T18:40:00+00:00 jIrUNFNbcPe3G0YWL/dV8IWb366ZfA02zixNXZF++mc="


def test_checksum_header_matches_the_pinned_vector():
    now = datetime(2026, 11, 23, 18, 40, 0, tzinfo=UTC)
    assert checksum_header("tyokykyportti", "dev-api-key", PATH, now) == EXPECTED


def test_the_timestamp_is_utc_to_the_second_whatever_the_clock_says():
    helsinki = timezone(timedelta(hours=2))
    now = datetime(2026, 11, 23, 20, 40, 0, 987654, tzinfo=helsinki)
    assert checksum_header("tyokykyportti", "dev-api-key", PATH, now) == EXPECTED


def test_another_key_path_or_time_gives_another_checksum():
    now = datetime(2026, 11, 23, 18, 40, 0, tzinfo=UTC)
    assert checksum_header("tyokykyportti", "other-key", PATH, now) != EXPECTED
    assert checksum_header("tyokykyportti", "dev-api-key", PATH + "x", now) != EXPECTED
    later = now + timedelta(seconds=1)
    assert checksum_header("tyokykyportti", "dev-api-key", PATH, later) != EXPECTED


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        checksum_header("tyokykyportti", "dev-api-key", PATH, datetime(2026, 11, 23, 18, 40))
