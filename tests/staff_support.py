"""Helpers for the staff tests: logging in with CSRF tokens, and small PDF and Word files
built in memory (a PDF by hand, so that encrypted and damaged ones can be made too)."""
from __future__ import annotations

import html
import io
import re
import zipfile

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class AuthActions:
    """``auth.login()``, ``auth.logout()``, ``auth.post(url, data)`` (with the CSRF token)."""

    def __init__(self, app, client):
        self.app = app
        self.client = client
        from kb.users import UserStore

        self.settings = app.extensions["kb"].settings
        self.users = UserStore.for_settings(self.settings)

    def create(self, name: str = "alice", password: str = PASSWORD) -> None:
        if self.users.get(name) is None:
            self.users.add(name, password)

    def token(self, client=None) -> str:
        client = client or self.client
        response = client.get("/staff/add")
        if response.status_code != 200:
            response = client.get("/login")
        return csrf_token(response.get_data(as_text=True))

    def login(self, name: str = "alice", password: str = PASSWORD, client=None,
              environ_base: dict | None = None, **extra):
        client = client or self.client
        token = csrf_token(client.get("/login").get_data(as_text=True))
        return client.post("/login", data={"name": name, "password": password,
                                           "csrf_token": token, **extra}, environ_base=environ_base or {})

    def logout(self, client=None):
        return self.post("/logout", client=client)

    def post(self, url: str, data: dict | None = None, client=None, **kwargs):
        client = client or self.client
        payload = {"csrf_token": self.token(client), **(data or {})}
        if kwargs.get("content_type") == "multipart/form-data":
            # Encoded here, in memory: the test client spools a body over 500 KB that it
            # builds to a temporary file it never closes (a ResourceWarning, raised in
            # whichever later test the garbage collector happens to run).
            boundary, body = encode_multipart({key: _as_file(value) if isinstance(value, tuple) else value
                                               for key, value in payload.items()})
            kwargs["content_type"] = f"multipart/form-data; boundary={boundary}"
            return client.post(url, data=body, **kwargs)
        return client.post(url, data=payload, **kwargs)


def _as_file(value: tuple) -> FileStorage:
    """A form file given as the test client takes it: (stream, filename[, content type])."""
    stream, filename, *content_type = value
    return FileStorage(stream, filename=filename, content_type=content_type[0] if content_type else None)


def pdf_bytes(pages: list[str], title: str | None = None, encrypt: bool = False) -> bytes:
    """A valid PDF with one text line per line of each page (Helvetica, Latin-1 text)."""
    objects: list[bytes | None] = []

    def add(body: bytes | None) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page_ids = []
    for text in pages:
        ops = [b"BT /F1 11 Tf 60 760 Td 14 TL"]
        for line in text.split("\n"):
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(b"(" + escaped.encode("cp1252") + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append((add(None), content))
    pages_id = add(None)
    for page, content in page_ids:
        objects[page - 1] = (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                             b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font))
    objects[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % p for p, _ in page_ids)
                             + b"] /Count %d >>" % len(page_ids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = add(b"<< /Title (" + title.encode("cp1252") + b") >>") if title else None
    # A standard security handler whose keys fit no password: PDFium asks for one.
    encryption = add(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
                     + b"> /P -44 >>") if encrypt else None
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info:
        trailer += b" /Info %d 0 R" % info
    if encryption:
        trailer += b" /Encrypt %d 0 R /ID [<" % encryption + b"ab" * 16 + b"> <" + b"ab" * 16 + b">]"
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def docx_bytes(paragraphs: list[str], heading: str | None = None, bullets: list[str] = (),
               table: list[list[str]] | None = None, title: str | None = None) -> bytes:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    if heading:
        document.add_heading(heading, 1)
    for text in paragraphs:
        document.add_paragraph(text)
    for text in bullets:
        document.add_paragraph(text, style="List Bullet")
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx(unpacked_mb: int = 200) -> bytes:
    """A tiny archive that names word/document.xml and unpacks to ``unpacked_mb`` MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                member.write(chunk)
    return buffer.getvalue()


# -- the upload form -------------------------------------------------------------------
TEXT = ("Déclaration des maires pour la jeunesse\n\n"
        "Les maires réunis à Bordeaux le 14 mai 2024 déclarent leur volonté commune.\n\n"
        "Nous nous engageons à soutenir les associations de jeunesse dans chaque quartier.")


def upload(auth, content: bytes | None = None, name: str = "doc.txt", text: str = "", **form):
    data = dict(form)
    if content is not None:
        data["file"] = (io.BytesIO(content), name)
    if text:
        data["text"] = text
    return auth.post("/staff/add", data, content_type="multipart/form-data")


def field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else ""


def publish(auth, location: str, **values):
    form = {"action": "publish", "title": "", "type": "declaration", "language": "fr", "date": "",
            "organisations": "", "source_url": "", "translation_key": "", "status": "published"}
    page = auth.client.get(location).get_data(as_text=True)
    form.update({k: field(page, k) for k in ("title", "language", "date")})
    form["text"] = html.unescape(re.search(r'<textarea id="text" name="text"[^>]*>(.*?)</textarea>',
                                           page, re.S).group(1))
    form.update(values)
    return auth.post(location, form)
