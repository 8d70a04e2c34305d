from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import utcnow

STATUSES = ("planned", "confirmed", "cancelled", "done")
REG_STATUSES = ("registered", "waitlisted", "cancelled")


class Hotline(db.Model):
    __tablename__ = "hotlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    phone: Mapped[str] = mapped_column(String(50))
    extension: Mapped[str] = mapped_column(String(50), default="")
    hours: Mapped[str] = mapped_column(String(300), default="")
    agency: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    shifts: Mapped[list["HotlineShift"]] = relationship(
        back_populates="hotline", cascade="all, delete-orphan", order_by="HotlineShift.starts_at"
    )


class HotlineShift(db.Model):
    """One entry of a hotline's rota: who answers the line, and when (UTC, shown in Bangkok time)."""

    __tablename__ = "hotline_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    hotline_id: Mapped[int] = mapped_column(ForeignKey("hotlines.id", ondelete="CASCADE"), index=True)
    staff_name: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    hotline: Mapped[Hotline] = relationship(back_populates="shifts")


class Clinic(db.Model):
    """A mobile clinic (คลินิกสัญจร). ``seats_taken`` is the counter registrations claim atomically."""

    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(100), unique=True)  # iCalendar UID, never changes
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)  # naive UTC
    ends_at: Mapped[datetime]
    venue: Mapped[str] = mapped_column(String(300), default="")
    province: Mapped[str | None] = mapped_column(String(100), index=True)
    capacity: Mapped[int] = mapped_column(default=0)
    seats_taken: Mapped[int] = mapped_column(default=0)
    registration_deadline: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="planned")
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE, raised on every change
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    code_rows: Mapped[list["ClinicCode"]] = relationship(
        cascade="all, delete-orphan", order_by="ClinicCode.code", lazy="selectin"
    )
    trainer_rows: Mapped[list["ClinicTrainer"]] = relationship(
        cascade="all, delete-orphan", order_by="ClinicTrainer.position", lazy="selectin"
    )

    @property
    def codes(self) -> list[str]:
        return [row.code for row in self.code_rows]

    @property
    def trainers(self) -> list:
        return [row.trainer for row in self.trainer_rows]

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)


class ClinicCode(db.Model):
    __tablename__ = "clinic_codes"

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)


class ClinicTrainer(db.Model):
    __tablename__ = "clinic_trainers"

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainers.id", ondelete="CASCADE"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    trainer = relationship("Trainer", lazy="joined")


class Registration(db.Model):
    __tablename__ = "clinic_registrations"
    __table_args__ = (UniqueConstraint("clinic_id", "user_id", name="uq_clinic_registrations_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)  # waitlist order (then id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]

    user = relationship("User", lazy="joined")
    clinic: Mapped[Clinic] = relationship()


class CalendarToken(db.Model):
    """The secret in a member's personal feed URL; replacing it revokes the old address."""

    __tablename__ = "clinic_calendar_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
