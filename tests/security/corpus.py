"""Hostile strings a careless or malicious person might type, and a tally of how many were tried."""

TRIED = {"inputs": 0}

HOSTILE = [
    "ก" + "\u0e34\u0e48\u0e49\u0e4a\u0e4b" * 60,  # Thai consonant under a tower of combining marks
    "\u0e31\u0e48 เริ่มด้วยสระลอย \u0e4c",  # combining marks with nothing to sit on
    "ข้อ\u200bความ\u200c\u200d\u2060\ufeffซ่อน",  # zero-width characters inside Thai words
    "\u202eปกติ\u202d txt.exe\u2066\u2067\u2068\u2069\u200e\u200f\u061c",  # bidi controls
    "ก\x00ข",
    "\x00",
    "\x07\x08\x1b[31mสีแดง\x1b[0m\x7f",
    "ก" * 120_000,  # longer than every text limit
    "ยาว " * 30_000,
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    "%' AND 1=1 --",
    "_%\\",
    "\\x00\\'",
    "AND OR NOT",
    '"ไม่ปิดคำพูด',
    "title:(",
    "*",
    "?a~2^3",
    "[1 TO",
    "{}",
    "(((((",
    ")))",
    "-+-+",
    "NOT NOT",
    "code:LD1 OR",
    "a" * 300 + "*",
    "หัวเรื่อง\r\nBcc: attacker@example.org",
    "x\r\nSet-Cookie: session=evil",
    "%0d%0aLocation:%20/evil",
    "ชื่อ\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:ปลอม\r\nDTSTART:19700101T000000Z",
    "บรรทัด\rเดียว\nสอง\u2028สาม\u2029สี่\x85",
    "<script>window.__pwned=1</script>",
    "[ลิงก์](javascript:window.__pwned=1)",
    '"><img src=x onerror=alert(1)>',
    "👩🏽‍💻 𝕏 \uffff \ufffe e\u0301 İ",
    "๒๕๖๘",
    "２５６８",
    "-1",
    "9" * 60,
    "1e309",
    "NaN",
    "0",
    "   \t  ",
    "",
    "%(name)s {0} {name} %s %n",
    "../../etc/passwd",
    '{"a": [1, 2]}',
]

# The few that reach the most code paths, for field-by-field runs (the whole corpus goes into all fields at once).
SHORT = [
    HOSTILE[0],
    HOSTILE[3],
    HOSTILE[4],
    HOSTILE[7],
    "'; DROP TABLE users; --",
    'title:( "ไม่ปิด',
    "ชื่อ\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:ปลอม",
    "๒๕๖๘",
]
