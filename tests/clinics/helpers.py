"""Shared set-up for the clinic and trainer tests: everything goes through the real services."""

from datetime import datetime

from cop.accounts import services as account_services
from cop.clinics import services as clinic_services
from cop.extensions import db
from cop.search import service as search_service
from cop.trainers import services as trainer_services

from ..helpers import fresh_session


def add_trainer(app, name="ดวงพร เหนือฟ้า", **fields):
    values = {
        "agency": "สำนักงานจังหวัดเชียงใหม่",
        "province": "เชียงใหม่",
        "codes": ["SP5", "LD1"],
        "phone": "08-1234-5678",
        "email": "duangporn@example.org",
        "bio": "วิทยากรด้าน **แผน**",
        "line_id": "duang.line",
    }
    values.update(fields)
    with fresh_session(app):
        trainer = trainer_services.create_trainer(name=name, **values)
        db.session.commit()
        search_service.apply_pending()
        return trainer.id


def add_clinic(
    app,
    title="คลินิกสัญจร เชียงใหม่",
    starts="2028-02-18T09:00",
    ends="2028-02-18T16:00",
    capacity=10,
    trainers=(),
    **fields,
):
    values = {
        "venue": "ศาลากลางจังหวัดเชียงใหม่",
        "province": "เชียงใหม่",
        "codes": ["SP5"],
        "description": "ฝึก **ถ่ายทอดตัวชี้วัด**",
    }
    values.update(fields)
    with fresh_session(app):
        clinic = clinic_services.create_clinic(
            title=title,
            starts_at=starts,
            ends_at=ends,
            capacity=capacity,
            trainers=list(trainers),
            acknowledge=True,
            **values,
        )
        db.session.commit()
        search_service.apply_pending()
        return clinic.id


def set_consent(app, trainer_id, value=True):
    from cop.trainers.models import Trainer

    with fresh_session(app):
        trainer = db.session.get(Trainer, trainer_id)
        trainer.contact_consent = value
        trainer.consent_recorded_at = datetime(2030, 1, 1)
        db.session.commit()


def link_account(app, trainer_id, email):
    """Link the trainer to the account with this e-mail (the trainer can then be reached there)."""
    from cop.trainers.models import Trainer

    with fresh_session(app):
        db.session.get(Trainer, trainer_id).user_id = account_services.find_user(email).id
        db.session.commit()


def user_id(app, email):
    with fresh_session(app):
        return account_services.find_user(email).id


def notifications_for(app, email):
    from sqlalchemy import select

    from cop.notifications.models import Notification

    with fresh_session(app):
        uid = account_services.find_user(email).id
        return [
            (n.kind, n.text, n.url)
            for n in db.session.scalars(
                select(Notification).where(Notification.user_id == uid).order_by(Notification.id)
            )
        ]


def full_clinic_with_a_waitlist(client, app, make_user, login):
    """A one-seat clinic: the first member holds the seat, the second waits; then a coordinator is logged in.
    Returns (clinic id, first member's e-mail, second member's e-mail)."""
    clinic_id = add_clinic(app, capacity=1)
    first, second = make_user(), make_user()
    for email in (first, second):
        login(email)
        client.post(f"/clinics/{clinic_id}/register")
        client.post("/logout")
    login(make_user("coordinator"))
    return clinic_id, first, second
