"""Names of statuses, destinations, segments, channels and tabs, as people read them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS = {
    "uusi": _l("Uusi"),
    "tyon_alla": _l("Työn alla"),
    "odottaa": _l("Odottaa asiakasta"),
    "ohjattu": _l("Ohjattu eteenpäin"),
    "paattynyt": _l("Päättynyt"),
}

DESTINATION = {
    "tyokykytiimi": _l("Työkyvyn tuen tiimi (monialainen vastaanotto)"),
    "terveystarkastus": _l("Työttömien terveystarkastus"),
    "typ": _l("TYP (työllistymistä edistävä monialainen yhteispalvelu)"),
    "sosiaalipalvelut": _l("Sosiaalipalvelut"),
    "kela": _l("Kela"),
    "muu": _l("Omahoito tai muu palvelu"),
}

SEGMENT = {
    "omatoimi": _l("Omatoimiasiakkuus"),
    "yhteiso": _l("Yhteisöasiakkuus"),
    "verkosto": _l("Verkostoasiakkuus"),
    "yhteistyo": _l("Yhteistyöasiakkuus"),
}

CHANNEL = {
    "phone": _l("Puhelu"),
    "meeting": _l("Tapaaminen"),
    "message": _l("Viesti"),
    "other": _l("Muu yhteydenotto"),
}

TAB = {
    "unassigned": _l("Jakamattomat"),
    "mine": _l("Omat"),
    "team": _l("Tiimin muut"),
    "waiting": _l("Odottaa asiakasta"),
    "closed": _l("Päättyneet"),
}

ROLE = {
    "sosiaaliohjaaja": _l("Sosiaaliohjaaja"),
    "tiiminvetaja": _l("Tiiminvetäjä"),
    "terveydenhoitaja": _l("Terveydenhoitaja"),
    "paakayttaja": _l("Pääkäyttäjä"),
}
