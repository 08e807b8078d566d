"""Definitions are loaded and checked once, at start-up; a broken file stops the app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from portal.config import ROOT
from portal.questionnaires.definition import Questionnaire, load_all

DEFINITIONS_DIR = ROOT / "questionnaires"


def init_app(app: Flask, directory: Path = DEFINITIONS_DIR) -> None:
    app.extensions["questionnaires"] = load_all(directory)


def all_questionnaires() -> dict[str, Questionnaire]:
    return current_app.extensions["questionnaires"]


def get(questionnaire_id: str) -> Questionnaire | None:
    return all_questionnaires().get(questionnaire_id)
