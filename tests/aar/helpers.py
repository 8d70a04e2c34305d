"""What AAR tests share: complete answers, real small files, an upload."""

import io
import struct
import zlib

ANSWERS = {
    "expected": "- ทุกหน่วยงานได้ร่างแผนบริหารความเสี่ยง",
    "actual": "- ได้ร่างครบเพียงครึ่งหนึ่งของหน่วยงาน",
    "why": "- ผู้เข้าร่วมไม่ได้นำข้อมูลความเสี่ยงเดิมมา",
    "next_time": "- ส่งแบบฟอร์มเตรียมข้อมูลล่วงหน้าสองสัปดาห์",
}


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(client, aar_id, *files):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/aar/{aar_id}/attachments", data=data, content_type="multipart/form-data")
