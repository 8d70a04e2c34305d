"""Hooks other features plug into, so the trainer directory never imports them (clinics import trainers).

The clinics feature registers, in its ``init_app``, who lists a trainer's upcoming clinics and what
to do when a trainer changes (clinic documents show trainer names, so they are re-indexed).
"""

from __future__ import annotations

from collections.abc import Callable

_clinic_finders: list[Callable[[object], list]] = []
_change_listeners: list[Callable[[int], None]] = []


def register_clinic_finder(finder: Callable[[object], list]) -> None:
    if finder not in _clinic_finders:
        _clinic_finders.append(finder)


def clinics_for(trainer) -> list:
    return [clinic for finder in _clinic_finders for clinic in finder(trainer)]


def on_trainer_changed(listener: Callable[[int], None]) -> None:
    if listener not in _change_listeners:
        _change_listeners.append(listener)


def trainer_changed(trainer_id: int) -> None:
    for listener in _change_listeners:
        listener(trainer_id)
