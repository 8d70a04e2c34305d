import io
import struct
import zlib

import pytest
from sqlalchemy import select

from cop.aar import services
from cop.accounts.models import User
from cop.extensions import db
from cop.search import service as search_service

ANSWERS = {
    "expected": "- ทุกหน่วยงานได้ร่างแผนบริหารความเสี่ยง",
    "actual": "- ได้ร่างครบเพียงครึ่งหนึ่งของหน่วยงาน",
    "why": "- ผู้เข้าร่วมไม่ได้นำข้อมูลความเสี่ยงเดิมมา",
    "next_time": "- ส่งแบบฟอร์มเตรียมข้อมูลล่วงหน้าสองสัปดาห์",
}


def user_named(email):
    return db.session.scalar(select(User).where(User.email == email))


def png_bytes() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def facilitator(make_user):
    return make_user(role="facilitator", name="วิทยากร กระบวนการ", agency="สำนักงานจังหวัดขอนแก่น")


@pytest.fixture
def make_aar(app, facilitator):
    """Create an AAR through the services (as a view would), commit and apply the search outbox."""
    def make(author=None, publish=True, **fields):
        data = {"title": "AAR เวทีบริหารความเสี่ยง", "held_on": "2026-08-20", "venue": "ศาลากลางจังหวัดขอนแก่น",
                "province": "ขอนแก่น", "participants": 35, "codes": ["SP7"], "agencies": ["สำนักงานจังหวัดขอนแก่น"],
                **ANSWERS}
        data.update(fields)
        with app.app_context():
            aar = services.create_aar(user_named(author or facilitator), publish=publish, **data)
            db.session.commit()
            search_service.apply_pending()
            return aar.id
    return make


@pytest.fixture
def as_user(app):
    from tests.conftest import PASSWORD

    def client_for(email=None):
        client = app.test_client()
        if email:
            assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        return client
    return client_for


def upload(client, aar_id, *files):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/aar/{aar_id}/attachments", data=data, content_type="multipart/form-data")
