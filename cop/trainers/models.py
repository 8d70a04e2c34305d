from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import utcnow
from ..taxonomy import implied_categories, province_regions


class Trainer(db.Model):
    """A multiplier trainer (วิทยากรตัวคูณ). Contact fields are shown only with recorded consent."""

    __tablename__ = "trainers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[str] = mapped_column(String(200), default="")
    agency: Mapped[str] = mapped_column(String(200), default="")
    province: Mapped[str | None] = mapped_column(String(100), index=True)
    bio: Mapped[str] = mapped_column(Text, default="")
    bio_html: Mapped[str] = mapped_column(Text, default="")
    availability: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    line_id: Mapped[str] = mapped_column(String(100), default="")
    # PDPA: contact details stay hidden until the trainer (or an admin) records consent.
    contact_consent: Mapped[bool] = mapped_column(default=False)
    consent_recorded_at: Mapped[datetime | None]
    consent_recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    code_rows: Mapped[list["TrainerCode"]] = relationship(
        cascade="all, delete-orphan", order_by="TrainerCode.code", lazy="selectin"
    )
    user = relationship("User", foreign_keys=[user_id])
    consent_recorder = relationship("User", foreign_keys=[consent_recorded_by])

    @property
    def codes(self) -> list[str]:
        return [row.code for row in self.code_rows]

    @property
    def categories(self) -> list[str]:
        return sorted(implied_categories(self.codes))

    @property
    def region(self) -> str | None:
        return province_regions().get(self.province or "")

    def contact_visible_to(self, user) -> bool:
        """Contact details: only logged-in members, only with consent (the trainer always sees their own)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if self.user_id is not None and user.id == self.user_id:
            return True
        return self.contact_consent


class TrainerCode(db.Model):
    __tablename__ = "trainer_codes"

    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainers.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)


class ContactRequest(db.Model):
    """A member asks to be contacted; the trainer is notified and the requester never sees their e-mail."""

    __tablename__ = "trainer_contact_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainers.id", ondelete="CASCADE"), index=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
