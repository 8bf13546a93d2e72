"""OCR of scans (indexer.formats.scan, ocr, image) on small generated pages: recognised text
close to the original (character error rate), the language told or chosen, only the pages
of a PDF without a text layer recognised, and bad scans refused with a clear message."""
from __future__ import annotations

import io
import os

import pytest

from indexer.formats import FormatError, NeedsOcr, OcrOptions, TooLarge, read_upload, ocr
from tests.scans import FONT, character_error_rate, image_bytes, joined_pdf, page_image
from tests.staff_support import pdf_bytes

FRENCH = ("Déclaration de Grenoble sur la jeunesse\n\n"
          "Les maires réunis à Grenoble le 14 mai 2024 déclarent leur volonté commune de prévenir "
          "la haine et l'extrémisme violent dans les quartiers.\n\n"
          "Nous nous engageons à ouvrir des maisons de quartier pour les jeunes.")
ENGLISH = ("Rotterdam Statement on Youth\n\n"
           "The mayors gathered in Rotterdam on 3 June 2023 agreed that cities need to act together.\n\n"
           "We commit to training youth workers in every neighbourhood.")


@pytest.fixture(autouse=True)
def tesseract():
    """Tesseract and the font are installed by `make test`; elsewhere the tests are skipped
    (and fail in CI, where they must run)."""
    missing = [what for what, ok in (("tesseract with fra and eng", ocr.missing() is None),
                                     (str(FONT), FONT.is_file())) if not ok]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"missing for the OCR tests: {', '.join(missing)}")
        pytest.skip(f"missing for the OCR tests: {', '.join(missing)} (make test installs them)")


def test_a_french_scan_is_recognised_closely_and_its_language_told():
    progress = []
    read = read_upload(image_bytes([FRENCH]), "scan.png", OcrOptions(progress=lambda *p: progress.append(p)))
    assert character_error_rate(read.text, FRENCH) < 0.02, read.text
    assert read.text.split("\n\n")[0] == "Déclaration de Grenoble sur la jeunesse"   # paragraphs kept
    assert read.title == "Déclaration de Grenoble sur la jeunesse"
    assert (read.content_type, read.extension, read.pages, read.recognised) == ("image/png", "png", 1, 1)
    assert progress == [(0, 1), (1, 1)]


def test_an_english_jpeg_in_the_language_chosen():
    read = read_upload(image_bytes([ENGLISH], "JPEG", rotation=-1.2), "scan.jpeg", OcrOptions(language="en"))
    assert character_error_rate(read.text, ENGLISH) < 0.02, read.text
    assert read.extension == "jpg"


def test_a_pdf_is_recognised_only_on_its_pages_without_text():
    text_page = pdf_bytes(["Avant-propos de la Ville de Lyon\nLe texte qui suit a ete signe par les maires."])
    mixed = joined_pdf(text_page, image_bytes([FRENCH], "PDF"))
    progress = []
    read = read_upload(mixed, "mixed.pdf", OcrOptions(progress=lambda *p: progress.append(p)))
    assert (read.pages, read.recognised) == (2, 1)
    assert progress[-1] == (1, 1)                   # one page recognised, not two
    assert read.text.startswith("Avant-propos de la Ville de Lyon")      # text layer kept, first
    scanned = read.text[read.text.index("Déclaration de Grenoble"):]
    assert character_error_rate(scanned, FRENCH) < 0.02, scanned


def test_only_checked_when_not_to_be_run_now():
    with pytest.raises(NeedsOcr) as caught:
        read_upload(image_bytes([FRENCH, ENGLISH, FRENCH], "TIFF"), "scan.tif", OcrOptions(run=False))
    assert (caught.value.pages, caught.value.total) == (3, 3)


def test_more_pages_than_the_limit_are_refused_before_any_is_read():
    with pytest.raises(TooLarge, match="3 pages to recognise.*at most 2"):
        read_upload(image_bytes([FRENCH, ENGLISH, FRENCH], "TIFF"), "scan.tiff", OcrOptions(max_pages=2))


@pytest.mark.parametrize("name, data", [
    ("scan.png", b"\x89PNG\r\n\x1a\n" + b"not really an image" * 10),
    ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 50),
])
def test_an_image_that_is_not_one_is_refused(name, data):
    with pytest.raises(FormatError, match="the image cannot be read: it is damaged or not an image"):
        read_upload(data, name)


def test_a_scan_in_which_nothing_can_be_read_is_refused():
    with pytest.raises(FormatError, match="nothing could be read in the scan"):
        read_upload(image_bytes([""], noise=0.05), "blank.png")


def test_without_tesseract_a_scan_is_refused_saying_how_to_enable_ocr(monkeypatch):
    monkeypatch.setattr(ocr, "installed_languages", lambda: frozenset({"eng"}))
    with pytest.raises(FormatError, match="OCR is not available.*apt-get install tesseract-ocr tesseract-ocr-fra"):
        read_upload(image_bytes([FRENCH]), "scan.png")


@pytest.mark.slow
def test_extraction_finds_the_city_and_the_commitment_in_the_recognised_text():
    from indexer.extract import extract_text

    read = read_upload(image_bytes([FRENCH], "PDF"), "scan.pdf")
    found = extract_text(read.text, "fr", title=read.title)
    assert "Grenoble" in [city.name for city in found.cities]
    assert [c.text for c in found.commitments] == [
        "Nous nous engageons à ouvrir des maisons de quartier pour les jeunes."]


def test_lone_specks_are_whitened_and_strokes_kept():
    from PIL import Image

    page = Image.new("L", (20, 20), 255)
    page.putpixel((3, 3), 0)                       # a speck
    for x, y in ((10, 10), (11, 10), (10, 11), (11, 11)):
        page.putpixel((x, y), 0)                   # a dot two pixels wide: part of a letter
    cleaned = ocr.despeckled(page)
    assert cleaned.getpixel((3, 3)) == 255
    assert [cleaned.getpixel(p) for p in ((10, 10), (11, 11))] == [0, 0]


def test_without_tesseract_a_pdf_with_some_text_is_read_from_its_text_layer(monkeypatch):
    monkeypatch.setattr(ocr, "installed_languages", lambda: frozenset())
    mixed = joined_pdf(pdf_bytes(["Declaration de Lyon\nNous nous engageons a agir."]), pdf_bytes([""]))
    read = read_upload(mixed, "mixed.pdf", OcrOptions(run=False))
    assert read.text == "Declaration de Lyon Nous nous engageons a agir." and read.recognised == 0


@pytest.mark.parametrize("text, first, rest", [(ENGLISH, "", "en"), (FRENCH, "", "fr")])
def test_the_language_is_told_from_the_first_page_and_used_for_the_rest(monkeypatch, text, first, rest):
    used = []
    recognise = ocr.recognise
    monkeypatch.setattr(ocr, "recognise", lambda image, language="": (used.append(language),
                                                                     recognise(image, language))[1])
    read_upload(image_bytes([text, text, text], "TIFF"), "scan.tif")
    assert used == [first, rest, rest]


@pytest.mark.parametrize("turn", [90, 180])
def test_a_page_scanned_sideways_or_upside_down_is_read_the_right_way_up(turn):
    buffer = io.BytesIO()
    page_image(FRENCH).rotate(turn, expand=True, fillcolor=255).save(buffer, format="PNG")
    read = read_upload(buffer.getvalue(), "turned.png")
    assert character_error_rate(read.text, FRENCH) < 0.03, read.text


def test_an_image_too_large_to_read_is_refused_before_it_is_decoded():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (10_000, 9_000)).save(buffer, format="PNG")       # 90 megapixels, a few kB
    with pytest.raises(FormatError, match="too large to read .more than 89 megapixels"):
        read_upload(buffer.getvalue(), "huge.png")


def test_a_page_scanned_at_a_low_resolution_is_read_enlarged():
    from PIL import Image

    small = page_image(FRENCH, size=22, width=90)
    small = small.resize((small.width // 2, small.height // 2), Image.LANCZOS)       # 100 dpi
    buffer = io.BytesIO()
    small.save(buffer, format="PNG")
    read = read_upload(buffer.getvalue(), "small.png")
    assert character_error_rate(read.text, FRENCH) < 0.02, read.text


def test_a_scan_is_recognised_in_the_sandboxed_reader_with_its_progress():
    """Uploads and `kb add` read files in a limited process of their own
    (indexer.formats.isolated): a scan's OCR runs there, its pages reported one by one,
    each page given the reader's time afresh."""
    from indexer.formats.isolated import Limits, read_isolated

    progress = []
    read = read_isolated(image_bytes([FRENCH, ENGLISH], "TIFF"), "scan.tif", Limits(seconds=30),
                         OcrOptions(progress=lambda *p: progress.append(p)))
    assert character_error_rate(read.text.split("\n\n")[0], FRENCH.split("\n\n")[0]) < 0.05, read.text
    assert (read.pages, read.recognised) == (2, 2) and progress == [(0, 2), (1, 2), (2, 2)]
    with pytest.raises(NeedsOcr) as checked:
        read_isolated(image_bytes([FRENCH]), "scan.png", Limits(seconds=30), OcrOptions(run=False))
    assert (checked.value.pages, checked.value.total) == (1, 1)


def test_what_the_progress_callback_raises_stops_the_sandboxed_reader():
    from indexer.formats.isolated import Limits, read_isolated

    class Stop(Exception):
        pass

    def stop(done, total):
        if done == 1:
            raise Stop()
    with pytest.raises(Stop):
        read_isolated(image_bytes([FRENCH, FRENCH, FRENCH], "TIFF"), "scan.tif", Limits(seconds=30),
                      OcrOptions(progress=stop))
