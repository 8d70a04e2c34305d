"""Account rules: registration, passwords, roles, API tokens, reset links.

Functions flush but never commit: the caller (a view or a CLI command) owns the transaction.
"""

from __future__ import annotations

import re
import secrets
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import utcnow
from ..taxonomy import DATA_DIR, normalize_province
from ..text.clean import clean_text
from ..validation import ValidationError
from .models import ROLES, ApiToken, AuditEntry, User

MIN_PASSWORD_LENGTH = 12
RESET_LINK_MAX_AGE = 3 * 24 * 3600


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset((DATA_DIR / "common_passwords.txt").read_text().split())


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why a password is refused, or None. Length is what matters; long passphrases are welcome."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(n)d characters; a phrase of several words is easy to remember.", n=MIN_PASSWORD_LENGTH)
    if len(password) > 1000:
        return _("That password is too long.")
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) <= 3:
        return _("That password is too common; please choose another.")
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and lowered.startswith(local):
        return _("The password must not be based on your e-mail address.")
    return None


def normalize_email(raw: str) -> str:
    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationError(_("Enter a valid e-mail address, such as name@agency.go.th."), "email") from None


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    *, email: str, name: str, password: str | None, role: str = "member", agency: str = "", province: str | None = None
) -> User:
    errors: list[tuple[str, str]] = []
    try:
        email = normalize_email(email)
    except ValidationError as exc:
        errors += exc.errors
    else:
        if find_user(email):
            errors.append(
                (
                    "email",
                    _("An account with this e-mail already exists. Log in or ask an admin to reset your password."),
                )
            )
    name, agency = clean_text(name), clean_text(agency)
    if not name or len(name) > 200:
        errors.append(("name", _("Enter your name (up to 200 characters).")))
    if role not in ROLES:
        errors.append(("role", _("Unknown role %(role)s.", role=role)))
    province_name = None
    if province:
        province_name = normalize_province(province)
        if province_name is None:
            errors.append(("province", _("Choose a province from the list.")))
    if len(agency or "") > 200:
        errors.append(("agency", _("The agency name is too long.")))
    if password is not None:
        problem = password_problem(password, email if isinstance(email, str) else "", name)
        if problem:
            errors.append(("password", problem))
    if errors:
        raise ValidationError(errors)
    user = User(email=email, name=name, role=role, agency=(agency or "").strip(), province=province_name)
    # Imported users get an unusable password until an admin sends them a reset link.
    user.password_hash = generate_password_hash(password) if password else ""
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email or "")
    if user is None or not user.password_hash:
        # Spend the same time as a real check so timing does not reveal which e-mails exist.
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    return user


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def set_password(user: User, password: str) -> None:
    problem = password_problem(password, user.email, user.name)
    if problem:
        raise ValidationError(problem, "password")
    user.password_hash = generate_password_hash(password)
    user.session_version += 1


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash or _dummy_hash(), current or ""):
        raise ValidationError(_("Your current password is not correct."), "current_password")
    set_password(user, new)


def change_email(user: User, new_email: str, current_password: str) -> None:
    """A new sign-in address, only with the current password (a borrowed session is not enough)."""
    if not user.password_hash or not check_password_hash(user.password_hash, current_password or ""):
        check_password_hash(_dummy_hash(), current_password or "")
        raise ValidationError(_("Your current password is not correct."), "current_password")
    email = normalize_email(new_email)
    other = find_user(email)
    if other is not None and other.id != user.id:
        raise ValidationError(
            _("An account with this e-mail already exists. Log in or ask an admin to reset your password."), "email"
        )
    user.email = email


def update_profile(user: User, *, name: str, agency: str, province: str | None) -> None:
    errors = []
    name, agency = clean_text(name), clean_text(agency)
    if not name or len(name) > 200:
        errors.append(("name", _("Enter your name (up to 200 characters).")))
    province_name = normalize_province(province) if province else None
    if province and province_name is None:
        errors.append(("province", _("Choose a province from the list.")))
    if errors:
        raise ValidationError(errors)
    user.name, user.agency, user.province = name, (agency or "").strip()[:200], province_name


def role_change_problem(user: User, role: str) -> str | None:
    """The last active admin keeps the role: without one, nobody could manage the site."""
    if user.role != "admin" or role == "admin":
        return None
    others = db.session.scalar(
        select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True), User.id != user.id)
    )
    if others:
        return None
    return _(
        "%(name)s is the last administrator. Make another member an administrator first; otherwise "
        "nobody could manage the site.",
        name=user.name,
    )


def set_role(user: User, role: str, *, actor: User | None = None, via: str = "") -> None:
    """Change a role and leave an audit entry (actor: the admin signed in; via: "cli" and the like)."""
    if role not in ROLES:
        raise ValidationError(_("Unknown role %(role)s.", role=role), "role")
    if user.role == role:
        return
    problem = role_change_problem(user, role)
    if problem:
        raise ValidationError(problem, "role")
    db.session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            actor_label=via[:100],
            action="role",
            target_id=user.id,
            detail=f"{user.role} -> {role}",
        )
    )
    user.role = role
    db.session.flush()


def audit_log(limit: int = 100) -> list[AuditEntry]:
    return db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all()


def load_user(user_id: str) -> User | None:
    try:
        uid, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_version != version:
        return None
    return user


# --- API tokens -----------------------------------------------------------------------------


def issue_token(user: User, label: str = "") -> str:
    token = "cop_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=ApiToken.hash(token), label=label[:100]))
    db.session.flush()
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
        ).all()
    )


def find_people(query: str, limit: int = 200) -> list[User]:
    """Newest accounts first, or those whose e-mail or name contains ``query``."""
    stmt = select(User).order_by(User.created_at.desc())
    if query:
        like = f"%{query[:100]}%"
        stmt = stmt.where(User.email.ilike(like) | User.name.ilike(like))
    return list(db.session.scalars(stmt.limit(limit)).all())


def revoke_token(token_id: int, user: User) -> bool:
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != user.id and not user.has_role("admin")):
        return False
    token.revoked_at = utcnow()
    return True


def load_user_from_request(req) -> User | None:
    header = req.headers.get("Authorization", "")
    match = re.fullmatch(r"Bearer\s+(\S+)", header)
    if not match:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(match.group(1))))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token.user


# --- password reset links issued by an admin -----------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    # The session version is inside: once the password changes, the link is spent.
    return _serializer().dumps({"uid": user.id, "v": user.session_version})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=RESET_LINK_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.session_version != data.get("v"):
        return None
    return user


def is_safe_next(target: str | None) -> bool:
    """Only paths on this site: no scheme, no host, no protocol-relative '//' or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target and not any(ch in target for ch in "\r\n\t") and request is not None
