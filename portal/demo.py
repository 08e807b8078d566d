"""Demo data for development and tests only: test identity codes (individual number 900–999).

The development identity provider serves these people, and `flask seed-demo` stores the teams,
municipalities, routing rules and staff. Nothing here is a real person.
"""

from __future__ import annotations

from typing import Any

# Named like Suomi.fi's test users; codes use the reserved individual numbers 900–999.
CITIZENS: tuple[dict[str, str], ...] = (
    {
        "hetu": "010280-952L",
        "given_names": "Aada Testi",
        "family_name": "Demola",
        "municipality": "179",
    },
    {
        "hetu": "150375-9536",
        "given_names": "Eino Testi",
        "family_name": "Kokeilu",
        "municipality": "179",
    },
    {
        "hetu": "240590-954H",
        "given_names": "Siiri Testi",
        "family_name": "Harjoitus",
        "municipality": "992",
    },
    {
        "hetu": "120668-956Y",
        "given_names": "Väinö Testi",
        "family_name": "Esimerkki",
        "municipality": "091",
    },
    # A family member who helps: acts for Pertti with a Suomi.fi mandate (see MANDATES).
    {
        "hetu": "110573-957U",
        "given_names": "Helena Testi",
        "family_name": "Auttaja",
        "municipality": "179",
    },
    {
        "hetu": "030482-9587",
        "given_names": "Pertti Testi",
        "family_name": "Päämies",
        "municipality": "179",
    },
)

# The matter (valtuusasia) the portal asks the mandate service about; MANDATES_ISSUE.
MANDATE_ISSUE = "tyokyvyn-tuki"

# Person-to-person mandates (Suomi.fi-valtuudet HPA) served by the development mandate service
# (`python -m portal.mandates.devservice`). One valid, and one for each way a mandate fails.
MANDATES: tuple[dict[str, Any], ...] = (
    {
        "delegate": "110573-957U",
        "principal": "030482-9587",
        "principal_name": "Pertti Testi Päämies",
        "issues": [MANDATE_ISSUE],
        "valid_from": "2025-01-01",
        "valid_until": "2099-12-31",
        "revoked": False,
        "note": "voimassa",
    },
    {
        "delegate": "110573-957U",
        "principal": "170961-959W",
        "principal_name": "Outi Testi Vanhentunut",
        "issues": [MANDATE_ISSUE],
        "valid_from": "2024-01-01",
        "valid_until": "2025-12-31",
        "revoked": False,
        "note": "vanhentunut",
    },
    {
        "delegate": "110573-957U",
        "principal": "091155-961V",
        "principal_name": "Reijo Testi Peruttu",
        "issues": [MANDATE_ISSUE],
        "valid_from": "2025-01-01",
        "valid_until": "2099-12-31",
        "revoked": True,
        "note": "peruttu",
    },
    {
        "delegate": "110573-957U",
        "principal": "120668-956Y",
        "principal_name": "Väinö Testi Esimerkki",
        "issues": ["kela-etuusasiointi"],
        "valid_from": "2025-01-01",
        "valid_until": "2099-12-31",
        "revoked": False,
        "note": "eri asia: ei koske työkyvyn tukea",
    },
    {
        "delegate": "110573-957U",
        "principal": "220388-962B",
        "principal_name": "Eero Testi Virhe",
        "issues": [MANDATE_ISSUE],
        "valid_from": "2025-01-01",
        "valid_until": "2099-12-31",
        "revoked": False,
        "simulate": "error",
        "note": "palvelu vastaa virheellä",
    },
    {
        "delegate": "110573-957U",
        "principal": "050712A9631",
        "principal_name": "Minna Testi Alaikäinen",
        "issues": [MANDATE_ISSUE],
        "valid_from": "2025-01-01",
        "valid_until": "2099-12-31",
        "revoked": False,
        "note": "alaikäinen: palvelu on työikäisille",
    },
)

MUNICIPALITIES: tuple[tuple[str, str], ...] = (
    ("179", "Jyväskylä"),
    ("992", "Äänekoski"),
    ("410", "Laukaa"),
    ("500", "Muurame"),
    ("091", "Helsinki"),
)

TEAMS: tuple[dict[str, Any], ...] = (
    {
        "slug": "jyvaskyla",
        "name": "Jyväskylän seudun alkupalvelu",
        "email": "alkupalvelu.jyvaskyla@example.invalid",
        "municipalities": ["179", "410", "500"],
    },
    {
        "slug": "aanekoski",
        "name": "Äänekosken alkupalvelu",
        "email": "alkupalvelu.aanekoski@example.invalid",
        "municipalities": ["992"],
    },
    {
        "slug": "keskitetty",
        "name": "Keskitetty digitaalinen alkupalvelu",
        "email": "alkupalvelu.keskitetty@example.invalid",
        "municipalities": [],
        "central": True,
    },
)

STAFF: tuple[dict[str, Any], ...] = (
    {
        "sub": "sanna.ohjaaja",
        "name": "Sanna Ohjaaja",
        "team": "jyvaskyla",
        "roles": ["sosiaaliohjaaja"],
    },
    {
        "sub": "tuomas.tiiminvetaja",
        "name": "Tuomas Tiiminvetäjä",
        "team": "jyvaskyla",
        "roles": ["sosiaaliohjaaja", "tiiminvetaja"],
    },
    {
        "sub": "aino.aanekoski",
        "name": "Aino Äänekoski",
        "team": "aanekoski",
        "roles": ["sosiaaliohjaaja"],
    },
    {
        "sub": "kalle.keskitetty",
        "name": "Kalle Keskitetty",
        "team": "keskitetty",
        "roles": ["sosiaaliohjaaja"],
    },
    {
        "sub": "helmi.hoitaja",
        "name": "Helmi Hoitaja",
        "team": "jyvaskyla",
        "roles": ["terveydenhoitaja"],
    },
    {
        "sub": "paavo.paakayttaja",
        "name": "Paavo Pääkäyttäjä",
        "team": "keskitetty",
        "roles": ["paakayttaja"],
    },
)
